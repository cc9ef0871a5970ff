export {
  BudgetLedger,
  type BudgetLimits,
  type BudgetSnapshot,
  type Reservation,
  type Spend,
} from './budget-ledger.js';
export { CircuitBreaker } from './circuit-breaker.js';
export {
  budgetSchema,
  CONFIG_FILE,
  configSchema,
  loadConfig,
  PROVIDER_TYPES,
  type PriceConfig,
  type ProviderConfig,
  type ProviderType,
  priceSchema,
  resolvePath,
  type SwarmConfig,
} from './config.js';
export {
  CascadeContext,
  type ChildOptions,
  DEFAULT_MAX_DEPTH,
  type LineageFrame,
  type RunContextOptions,
} from './context.js';
export * from './errors.js';
export * from './events.js';
export { normaliseTask, taskFingerprint } from './fingerprint.js';
export { newId } from './ids.js';
export { isLoopback, urlHost } from './listen-address.js';
export { type Locator, parseStructured } from './structured-file.js';
