export { parseSamples, type Sample } from '../observe/index.js';
export { Backend, type TokenUsage } from './backend.js';
export type { HealthPolicy, HealthState } from './backend-health.js';
export {
  aliasesOf,
  BACKEND_TYPES,
  type BackendConfig,
  type BackendType,
  BUDGET_PERIODS,
  type BudgetPeriod,
  GATEWAY_FILE,
  type GatewayConfig,
  type GatewayConfigInput,
  gatewayConfigSchema,
  type KeyConfig,
  loadGatewayConfig,
  POLICIES,
  type PolicyName,
  parseGatewayConfig,
  type RouteConfig,
} from './config.js';
export * from './errors.js';
export type {
  AttemptOutcome,
  AttemptRecord,
  GatewayEventListener,
  GatewayEvents,
  GatewayRequestEvent,
  RequestOutcome,
} from './gateway-events.js';
export { GATEWAY_RUN_ID, toSwarmEvent } from './gateway-events.js';
export type { BackendStatus, HealthReport } from './health-report.js';
export { type AccountSnapshot, type NewKey, newApiKey } from './keys/index.js';
export { type LoadReading, readLoadSignals } from './load-signals.js';
export { type Reservation, worstCase } from './reservation.js';
export {
  CacheAware,
  createPolicy,
  type Decision,
  LeastLoaded,
  ModelRouter,
  PowerOfTwo,
  PrefixIndex,
  RoundRobin,
  type Routable,
  type RouteInput,
  type RoutingPolicy,
  WeightedRandom,
} from './routing/index.js';
export { type GatewayOptions, type GatewayServer, startGateway } from './server.js';
