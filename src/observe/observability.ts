import { resolvePath, type SwarmConfig } from '../core/config.js';
import type { EventBus } from '../core/events.js';
import type { AuditWriteError } from './audit/audit-errors.js';
import { type AuditLog, openProcessAuditLog } from './audit/audit-log.js';
import { AuditRecorder } from './audit/audit-recorder.js';
import { SecretRedactor } from './redact.js';
import { setupTracing, type TracingHandle, type TracingOptions } from './tracing/setup-tracing.js';
import { SwarmTracer } from './tracing/swarm-tracer.js';

export interface ObservabilityOptions {
  events: EventBus;
  config: SwarmConfig;
  /** The process's tools, to tell calls with side effects (audited) from read-only ones. */
  tools?: ReadonlyMap<string, { readonly sideEffects?: boolean }>;
  env?: NodeJS.ProcessEnv;
  /** Tests: exporters instead of OTLP, exported span by span. */
  tracing?: Pick<TracingOptions, 'exporters' | 'exportEachSpan' | 'serviceName'>;
  onAuditError?: (error: AuditWriteError) => void;
}

export interface Observability {
  readonly redactor: SecretRedactor;
  /** Undefined when tracing is off (no OTEL_EXPORTER_OTLP_* endpoint). */
  readonly tracing: TracingHandle | undefined;
  /** Undefined when audit.enabled is false. */
  readonly audit: AuditLog | undefined;
  /** Stops listening, writes the audit records and exports the spans still pending. */
  close(): Promise<void>;
}

/**
 * Wires tracing and the decision audit log to a process's event bus, as the
 * commands that run agents and workflows do. Secrets known to the config
 * (provider keys and headers) and the environment are redacted from both.
 */
export async function startObservability(options: ObservabilityOptions): Promise<Observability> {
  const env = options.env ?? process.env;
  const redactor = configRedactor(options.config, env);
  const tracing = await setupTracing({ env, ...options.tracing });
  const detach: (() => void)[] = [];
  if (tracing) detach.push(new SwarmTracer(tracing, redactor).attach(options.events));
  let audit: AuditLog | undefined;
  if (options.config.audit.enabled) {
    try {
      audit = openProcessAuditLog(resolvePath(options.config, options.config.audit.file), {
        ...(options.onAuditError ? { onError: options.onAuditError } : {}),
      });
    } catch (error) {
      await tracing?.shutdown();
      throw error;
    }
    const tools = options.tools;
    const recorder = new AuditRecorder(audit, {
      hasSideEffects: (name) => tools?.get(name)?.sideEffects === true,
      redactor,
    });
    detach.push(recorder.attach(options.events));
  }
  return {
    redactor,
    tracing,
    audit,
    async close() {
      for (const stop of detach) stop();
      audit?.close();
      await tracing?.shutdown();
    },
  };
}

/** A redactor that knows the provider keys the config names, their headers, and secret-looking variables. */
export function configRedactor(config: SwarmConfig, env: NodeJS.ProcessEnv = process.env): SecretRedactor {
  const keyEnvs: string[] = [];
  const headerValues: string[] = [];
  for (const provider of Object.values(config.providers)) {
    if (provider.apiKeyEnv) keyEnvs.push(provider.apiKeyEnv);
    headerValues.push(...Object.values(provider.headers ?? {}));
  }
  const fromEnv = SecretRedactor.fromEnvironment(env, keyEnvs);
  return new SecretRedactor([...fromEnv.secrets, ...headerValues]);
}
