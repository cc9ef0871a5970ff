import type { Runtime } from '../../agents/runtime.js';
import { type Observability, startObservability } from '../../observe/observability.js';
import { formatError } from '../action.js';

/** Tracing (when the OTEL_* variables ask for it) and the audit log for a command's runtime; audit write failures go to stderr. */
export function observeRuntime(runtime: Runtime): Promise<Observability> {
  return startObservability({
    events: runtime.events,
    config: runtime.config,
    tools: runtime.tools,
    onAuditError: (error) => process.stderr.write(formatError(error)),
  });
}
