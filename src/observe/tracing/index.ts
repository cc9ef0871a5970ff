export { ForcedIdGenerator } from './forced-ids.js';
export {
  type OtlpTarget,
  otlpTarget,
  setupTracing,
  TracingConfigError,
  type TracingHandle,
  type TracingOptions,
  tracingActive,
} from './setup-tracing.js';
export { markStepFailed, traceStep } from './step-span.js';
export { SwarmTracer } from './swarm-tracer.js';
export {
  clearRunTraces,
  formatRunTrace,
  parseRunTrace,
  type RunTrace,
  registerRunTrace,
  runTraceHeaders,
  runTraceOf,
  withTaskTrace,
} from './trace-context.js';
