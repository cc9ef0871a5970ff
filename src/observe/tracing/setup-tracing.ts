import { hostname } from 'node:os';
import { context, type Tracer, trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { SwarmError } from '../../core/errors.js';
import { ForcedIdGenerator } from './forced-ids.js';
import { clearRunTraces } from './trace-context.js';

export class TracingConfigError extends SwarmError {
  constructor(variable: string, value: string, problem: string) {
    super('tracing_config', `${variable}="${value}" ${problem}`, {
      hint: 'Set OTEL_EXPORTER_OTLP_ENDPOINT to the collector base URL (e.g. http://127.0.0.1:4318), or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to the full traces URL; OTEL_EXPORTER_OTLP_HEADERS is key=value,key2=value2.',
    });
  }
}

export interface TracingOptions {
  /** Where the OTEL_* variables are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Exporters to use instead of OTLP/HTTP (tests use the in-memory one); tracing is on when given. */
  exporters?: SpanExporter[];
  /** Hand each span to the exporter as it ends, instead of in batches (tests). */
  exportEachSpan?: boolean;
  serviceName?: string;
}

export interface TracingHandle {
  readonly tracer: Tracer;
  readonly ids: ForcedIdGenerator;
  /** Where spans go, for messages: the OTLP traces URL or "custom exporter". */
  readonly destination: string;
  forceFlush(): Promise<void>;
  /** Exports what is pending and turns tracing off again. */
  shutdown(): Promise<void>;
}

export interface OtlpTarget {
  url: string;
  headers: Record<string, string>;
}

/**
 * The OTLP/HTTP traces target the standard variables ask for, or undefined
 * when tracing is off (the default): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used
 * as given) or OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/traces), with
 * OTEL_EXPORTER_OTLP_HEADERS / _TRACES_HEADERS; OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none turn it off.
 */
export function otlpTarget(env: NodeJS.ProcessEnv = process.env): OtlpTarget | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return undefined;
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const variable = specific ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const raw = specific || base;
  if (!raw) return undefined;
  const url = specific ? raw : `${raw.replace(/\/+$/, '')}/v1/traces`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TracingConfigError(variable, raw, 'is not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new TracingConfigError(variable, raw, 'must be an http:// or https:// URL');
  return {
    url,
    headers: {
      ...parseHeaders('OTEL_EXPORTER_OTLP_HEADERS', env.OTEL_EXPORTER_OTLP_HEADERS),
      ...parseHeaders('OTEL_EXPORTER_OTLP_TRACES_HEADERS', env.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
    },
  };
}

function parseHeaders(variable: string, value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [i, pair] of (value ?? '').split(',').entries()) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    // the text may be a key: the message names the variable and the entry's position, never its text
    if (eq <= 0)
      throw new TracingConfigError(variable, '…', `has an entry that is not name=value (entry ${i + 1})`);
    headers[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return headers;
}

/** The process's tracing, shared by every caller of setupTracing until the last one shuts it down. */
let active: { handle: TracingHandle; users: number } | undefined;

/** Whether tracing is set up in this process (spans cost nothing when it is not). */
export function tracingActive(): boolean {
  return active !== undefined;
}

/**
 * Sets up OpenTelemetry tracing for this process when the OTEL_* variables
 * (or `exporters`) ask for it, and returns undefined otherwise: then the API
 * stays the no-op one. The SDK is loaded only when tracing is on. Spans go
 * out over OTLP/HTTP as JSON, in batches.
 */
export async function setupTracing(options: TracingOptions = {}): Promise<TracingHandle | undefined> {
  const env = options.env ?? process.env;
  const target = options.exporters ? undefined : otlpTarget(env);
  if (!options.exporters && !target) return undefined;
  if (active) {
    // one provider per process: a second caller (a server that also runs workflows) shares it
    active.users++;
    return sharedHandle(active.handle);
  }
  const [
    { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor },
    { resourceFromAttributes },
    hooks,
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/context-async-hooks'),
  ]);
  let exporters = options.exporters;
  if (!exporters) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    exporters = [new OTLPTraceExporter({ url: target!.url, headers: target!.headers })];
  }
  const ids = new ForcedIdGenerator();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME ?? options.serviceName ?? 'swarm',
      'service.instance.id': `${hostname()}-${process.pid}`,
    }),
    idGenerator: ids,
    spanLimits: { attributeValueLengthLimit: 4096 },
    spanProcessors: exporters.map((e) =>
      options.exportEachSpan ? new SimpleSpanProcessor(e) : new BatchSpanProcessor(e),
    ),
  });
  const contextManager = new hooks.AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  const handle: TracingHandle = {
    tracer: provider.getTracer('swarm'),
    ids,
    destination: target?.url ?? 'custom exporter',
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      clearRunTraces();
    },
  };
  active = { handle, users: 1 };
  return sharedHandle(handle);
}

/** The handle one caller gets: its shutdown() exports what is pending, and ends tracing when it is the last user. */
function sharedHandle(handle: TracingHandle): TracingHandle {
  let released = false;
  return {
    ...handle,
    async shutdown() {
      if (released || active?.handle !== handle) return;
      released = true;
      if (--active.users > 0) {
        await handle.forceFlush();
        return;
      }
      active = undefined;
      await handle.shutdown();
    },
  };
}
