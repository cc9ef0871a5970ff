import {
  type Context,
  context,
  createContextKey,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';

/**
 * Where a run's span sits in its trace. The run span is exported once, by
 * the process that sees the run finish (which may not be the one that
 * started it), with the ids chosen when it started; so the ids, the start
 * time and the parent travel with the run's tasks, in the W3C `traceparent`
 * and in our member of `tracestate`.
 */
export interface RunTrace {
  runId: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** Milliseconds since the epoch. */
  startTime: number;
}

const RUN_TRACE = createContextKey('swarm.run-trace');
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const MEMBER = /(?:^|,)\s*swarm=r([0-9a-z]+)\.s([0-9a-z]+)(?:\.p([0-9a-f]{16}))?\s*(?:,|$)/;

/** Runs started in this process whose span is not exported yet. */
const localRuns = new Map<string, RunTrace>();
/** Runs finished by another process never leave the map here: past this many the oldest go. */
export const MAX_LOCAL_RUNS = 10_000;

export function registerRunTrace(run: RunTrace): void {
  localRuns.set(run.runId, run);
  if (localRuns.size > MAX_LOCAL_RUNS) localRuns.delete(localRuns.keys().next().value as string);
}

export function forgetRunTrace(runId: string): void {
  localRuns.delete(runId);
}

export function clearRunTraces(): void {
  localRuns.clear();
}

/** The run's trace, from the task being handled (headers) or from this process having started it. */
export function runTraceOf(runId: string, ctx: Context = context.active()): RunTrace | undefined {
  const carried = ctx.getValue(RUN_TRACE) as RunTrace | undefined;
  if (carried?.runId === runId) return carried;
  return localRuns.get(runId);
}

/** The context whose parent is the run's span: for spans of the run created before the run span itself. */
export function runParentContext(run: RunTrace): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: run.traceId,
    spanId: run.spanId,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
}

/**
 * Task headers that carry the run's trace to whichever worker claims the
 * task: `traceparent` names the run span, `tracestate` holds the run id,
 * start time and the run span's own parent. Empty when the run is not
 * traced (tracing off costs a map lookup).
 */
export function runTraceHeaders(runId: string): Record<string, string> {
  const run = runTraceOf(runId);
  return run ? formatRunTrace(run) : {};
}

/** The `traceparent` and `tracestate` headers of a run's trace (the inverse of parseRunTrace). */
export function formatRunTrace(run: RunTrace): { traceparent: string; tracestate: string } {
  const parent = run.parentSpanId ? `.p${run.parentSpanId}` : '';
  return {
    traceparent: `00-${run.traceId}-${run.spanId}-01`,
    tracestate: `swarm=r${encodeRunId(run.runId)}.s${run.startTime.toString(36)}${parent}`,
  };
}

/**
 * Runs `fn` in the trace context a task carries, so the spans it starts
 * (and the run span, if the run finishes here) join the run's trace.
 */
export function withTaskTrace<T>(headers: Readonly<Record<string, string>>, fn: () => T): T {
  const parsed = parseRunTrace(headers);
  if (!parsed) return fn();
  const ctx = runParentContext(parsed).setValue(RUN_TRACE, parsed);
  return context.with(ctx, fn);
}

export function parseRunTrace(headers: Readonly<Record<string, string>>): RunTrace | undefined {
  const parent = TRACEPARENT.exec(headers.traceparent ?? '');
  const member = MEMBER.exec(headers.tracestate ?? '');
  if (!parent || !member) return undefined;
  const [, traceId, spanId] = parent as unknown as [string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return {
    runId: decodeRunId(member[1]!),
    traceId,
    spanId,
    startTime: Number.parseInt(member[2]!, 36),
    ...(member[3] ? { parentSpanId: member[3] } : {}),
  };
}

export function spanContextOf(ctx: Context): SpanContext | undefined {
  const sc = trace.getSpanContext(ctx);
  return sc && trace.isSpanContextValid(sc) ? sc : undefined;
}

/** tracestate values allow few characters, so the run id travels as the hex of its bytes. */
function encodeRunId(runId: string): string {
  return Buffer.from(runId, 'utf8').toString('hex');
}

function decodeRunId(encoded: string): string {
  return Buffer.from(encoded, 'hex').toString('utf8');
}
