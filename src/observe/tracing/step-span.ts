import { type Attributes, SpanStatusCode, trace } from '@opentelemetry/api';
import { tracingActive } from './setup-tracing.js';

/**
 * Runs one workflow step task inside its own span, made active so that the
 * spans of the agents and tools it runs become its children. The step span
 * is a child of the run (from the task's trace headers). When tracing is
 * off this is a plain call.
 */
export async function traceStep<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  if (!tracingActive()) return fn();
  return trace.getTracer('swarm').startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks the active step span failed (a step that failed without throwing: its last attempt was recorded as failed). */
export function markStepFailed(message: string): void {
  if (!tracingActive()) return;
  trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message });
}
