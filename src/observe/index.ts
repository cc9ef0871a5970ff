export * from './audit/index.js';
export { clipText } from './clip-text.js';
export * from './errors.js';
export {
  configRedactor,
  type Observability,
  type ObservabilityOptions,
  startObservability,
} from './observability.js';
export { Counter, Histogram, PrometheusRegistry } from './prometheus-registry.js';
export { parseSamples, type Sample } from './prometheus-text.js';
export { REDACTED, SecretRedactor } from './redact.js';
export {
  type NodeRow,
  type RunRow,
  type RunStatus,
  RunStore,
  type StepRow,
  type StoredEvent,
} from './run-store.js';
export { isReadOnly, type Migration, openSqlite } from './sqlite-file.js';
export {
  PROMETHEUS_CONTENT_TYPE,
  type QueueDepthSource,
  SwarmMetrics,
  type SwarmMetricsOptions,
} from './swarm-metrics.js';
export * from './tracing/index.js';
