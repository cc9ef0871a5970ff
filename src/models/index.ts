export * from './errors.js';
export {
  type ModelCallRequest,
  type ModelCallResult,
  ModelClient,
  type Pricing,
  type ToolCallRequest,
  type Usage,
} from './model-client.js';
export { localProviders, type ModelTarget, parseTarget, resolveModels } from './model-ref.js';
export { PriceTable } from './prices.js';
export { createProviderFactory, type LanguageModelFactory } from './providers.js';
export type {
  CacheableCall,
  CacheOutcome,
  CacheProvenance,
  CacheRunOptions,
  CacheSource,
  ResponseCache,
} from './response-cache.js';
export { isRetryable, type RetryPolicy, retryDelay } from './retry.js';
