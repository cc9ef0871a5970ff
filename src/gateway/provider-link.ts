import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { ProviderConfig } from '../core/config.js';
import type { ModelTarget } from '../models/model-ref.js';
import { createProviderFactory, type LanguageModelFactory } from '../models/providers.js';
import { type BackendConfig, upstreamModel } from './config.js';

/**
 * A cloud provider backend's way to its models: the model layer's provider
 * factory (which imports the provider's AI SDK package on first use), with
 * the backend's URL, key variable, headers, region and resource name.
 */
export class ProviderLink {
  private readonly factory: LanguageModelFactory;
  private readonly provider: ProviderConfig;

  constructor(
    private readonly config: BackendConfig,
    env: NodeJS.ProcessEnv,
  ) {
    this.factory = createProviderFactory(env);
    this.provider = {
      type: config.provider ?? 'openai',
      ...(config.url === undefined ? {} : { baseURL: config.url }),
      ...(config.apiKeyEnv === undefined ? {} : { apiKeyEnv: config.apiKeyEnv }),
      ...(config.headers === undefined ? {} : { headers: config.headers }),
      ...(config.resourceName === undefined ? {} : { resourceName: config.resourceName }),
      ...(config.region === undefined ? {} : { region: config.region }),
    };
  }

  /** The model serving `alias`, built once. */
  model(alias: string): Promise<LanguageModelV3> {
    return this.factory(this.target(upstreamModel(this.config, alias)));
  }

  /**
   * Builds every model now, so a missing key or region is a startup error
   * (ProviderSetupError, naming the variable to set) rather than a failing
   * backend at the first request.
   */
  async prepare(aliases: readonly string[]): Promise<void> {
    await Promise.all(aliases.map((alias) => this.model(alias)));
  }

  private target(modelId: string): ModelTarget {
    return {
      ref: `${this.config.name}:${modelId}`,
      provider: this.config.name,
      modelId,
      config: this.provider,
    };
  }
}
