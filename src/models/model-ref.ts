import type { SwarmConfig } from '../core/config.js';
import { PROVIDER_TYPES, type ProviderConfig, type ProviderType } from '../core/config.js';
import { ModelNotConfiguredError, UnknownProviderError } from './errors.js';

export interface ModelTarget {
  /** `provider:model` as written after alias expansion. */
  ref: string;
  provider: string;
  modelId: string;
  config: ProviderConfig;
}

/**
 * Expands a manifest's model (a ref, an alias, or a list of either) into the
 * ordered fallback chain of concrete targets.
 */
export function resolveModels(
  config: SwarmConfig,
  wanted: string | readonly string[] | undefined,
  agent: string,
): ModelTarget[] {
  const refs = wanted === undefined ? [] : typeof wanted === 'string' ? [wanted] : [...wanted];
  if (refs.length === 0 && config.defaultModel) refs.push(config.defaultModel);
  if (refs.length === 0) throw new ModelNotConfiguredError(agent);
  const out: ModelTarget[] = [];
  const seen = new Set<string>();
  const expand = (ref: string, trail: readonly string[]): void => {
    const alias = config.models[ref];
    if (alias !== undefined && !trail.includes(ref)) {
      for (const r of typeof alias === 'string' ? [alias] : alias) expand(r, [...trail, ref]);
      return;
    }
    const target = parseTarget(config, ref);
    if (!seen.has(target.ref)) {
      seen.add(target.ref);
      out.push(target);
    }
  };
  for (const ref of refs) expand(ref, []);
  return out;
}

export function parseTarget(config: SwarmConfig, ref: string): ModelTarget {
  const colon = ref.indexOf(':');
  const known = [...new Set([...Object.keys(config.providers), ...PROVIDER_TYPES])];
  if (colon <= 0) throw new UnknownProviderError(ref, ref, known);
  const provider = ref.slice(0, colon);
  const modelId = ref.slice(colon + 1);
  const configured = config.providers[provider];
  if (configured) return { ref, provider, modelId, config: configured };
  if ((PROVIDER_TYPES as readonly string[]).includes(provider)) {
    return { ref, provider, modelId, config: { type: provider as ProviderType } };
  }
  throw new UnknownProviderError(ref, provider, known);
}

/** Providers whose models cost nothing: self-hosted OpenAI-compatible servers, or any marked local. */
export function localProviders(config: SwarmConfig): string[] {
  const names = Object.entries(config.providers)
    .filter(([, p]) => p.local ?? p.type === 'openai-compatible')
    .map(([name]) => name);
  if (!config.providers['openai-compatible']) names.push('openai-compatible');
  return names;
}
