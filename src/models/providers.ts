import type { LanguageModelV3 } from '@ai-sdk/provider';
import { ProviderSetupError } from './errors.js';
import type { ModelTarget } from './model-ref.js';

/** Environment variables each provider type falls back to when the config names none. */
const DEFAULT_KEY_ENV: Record<string, string | undefined> = {
  'openai-compatible': 'OPENAI_COMPATIBLE_API_KEY',
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
  azure: 'AZURE_API_KEY',
};

export type LanguageModelFactory = (target: ModelTarget) => Promise<LanguageModelV3>;

/**
 * Builds AI SDK language models. Each provider package is imported only when
 * a model of that type is first used, so commands that never call a model
 * never load the AI SDK.
 */
export function createProviderFactory(env: NodeJS.ProcessEnv = process.env): LanguageModelFactory {
  const cache = new Map<string, Promise<LanguageModelV3>>();
  return (target) => {
    let model = cache.get(target.ref);
    if (!model) {
      model = build(target, env);
      cache.set(target.ref, model);
      model.catch(() => cache.delete(target.ref));
    }
    return model;
  };
}

function apiKey(target: ModelTarget, env: NodeJS.ProcessEnv): string | undefined {
  const name = target.config.apiKeyEnv ?? DEFAULT_KEY_ENV[target.config.type];
  return name ? env[name] : undefined;
}

async function build(target: ModelTarget, env: NodeJS.ProcessEnv): Promise<LanguageModelV3> {
  const { config, modelId, provider } = target;
  const key = apiKey(target, env);
  const headers = config.headers;
  switch (config.type) {
    case 'openai-compatible': {
      const baseURL = config.baseURL ?? env.OPENAI_COMPATIBLE_BASE_URL;
      if (!baseURL) {
        throw new ProviderSetupError(
          provider,
          'no base URL (set providers.<name>.baseURL, or OPENAI_COMPATIBLE_BASE_URL, e.g. http://127.0.0.1:8000/v1)',
        );
      }
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      return createOpenAICompatible({
        name: provider,
        baseURL,
        includeUsage: true,
        supportsStructuredOutputs: config.structuredOutputs ?? true,
        ...(key ? { apiKey: key } : {}),
        ...(headers ? { headers } : {}),
      }).chatModel(modelId);
    }
    case 'openai': {
      requireKey(target, key, 'OPENAI_API_KEY');
      const { createOpenAI } = await import('@ai-sdk/openai');
      return createOpenAI({
        apiKey: key,
        ...(config.baseURL ? { baseURL: config.baseURL } : {}),
        ...(headers ? { headers } : {}),
      })(modelId);
    }
    case 'anthropic': {
      requireKey(target, key, 'ANTHROPIC_API_KEY');
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({
        apiKey: key,
        ...(config.baseURL ? { baseURL: config.baseURL } : {}),
        ...(headers ? { headers } : {}),
      })(modelId);
    }
    case 'google': {
      requireKey(target, key, 'GOOGLE_GENERATIVE_AI_API_KEY');
      const { createGoogleGenerativeAI } = await import('@ai-sdk/google');
      return createGoogleGenerativeAI({
        apiKey: key,
        ...(config.baseURL ? { baseURL: config.baseURL } : {}),
        ...(headers ? { headers } : {}),
      })(modelId);
    }
    case 'bedrock': {
      const region = config.region ?? env.AWS_REGION;
      if (!region)
        throw new ProviderSetupError(provider, 'no AWS region (set providers.<name>.region or AWS_REGION)');
      const { createAmazonBedrock } = await import('@ai-sdk/amazon-bedrock');
      return createAmazonBedrock({ region, ...(headers ? { headers } : {}) })(modelId);
    }
    case 'azure': {
      requireKey(target, key, 'AZURE_API_KEY');
      const resourceName = config.resourceName ?? env.AZURE_RESOURCE_NAME;
      if (!resourceName && !config.baseURL) {
        throw new ProviderSetupError(
          provider,
          'no resource name (set providers.<name>.resourceName or AZURE_RESOURCE_NAME)',
        );
      }
      const { createAzure } = await import('@ai-sdk/azure');
      return createAzure({
        apiKey: key,
        ...(resourceName ? { resourceName } : {}),
        ...(config.baseURL ? { baseURL: config.baseURL } : {}),
        ...(headers ? { headers } : {}),
      })(modelId);
    }
  }
}

function requireKey(
  target: ModelTarget,
  key: string | undefined,
  fallbackEnv: string,
): asserts key is string {
  if (!key) {
    throw new ProviderSetupError(
      target.provider,
      `no API key (set the environment variable ${target.config.apiKeyEnv ?? fallbackEnv})`,
    );
  }
}
