import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../../core/errors.js';
import { type AttemptResult, RequestDeadline, tryBackend } from '../attempt.js';
import type { Backend, TokenUsage } from '../backend.js';
import type { Cancellation } from '../cancellation.js';
import type { GatewayConfig } from '../config.js';
import {
  GatewayRequestError,
  GatewayTimeoutError,
  InvalidRequestError,
  NoBackendAvailableError,
  UpstreamFailedError,
  UpstreamRateLimitError,
} from '../errors.js';
import type { Fleet, Tried } from '../fleet.js';
import type { GatewayEvents, GatewayRequestEvent } from '../gateway-events.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import { ENDPOINT_PATHS, type Endpoint, type InboundRequest } from '../inbound-request.js';
import type { KeyAccount, KeyRing, Ticket } from '../keys/index.js';
import { tryProvider } from '../provider-attempt.js';
import { ProviderLink } from '../provider-link.js';
import { type ProviderCall, toProviderCall } from '../provider-request.js';
import type { Decision } from '../routing/index.js';

/** What every request handler shares. */
export interface GatewayCore {
  config: GatewayConfig;
  fleet: Fleet;
  keys: KeyRing;
  metrics: GatewayMetrics;
  events: GatewayEvents;
}

type Answered = Extract<AttemptResult, { kind: 'answered' }>;

export async function serve(
  core: GatewayCore,
  inbound: InboundRequest,
  bodies: UpstreamBodies,
  req: IncomingMessage,
  res: ServerResponse,
  cancel: Cancellation,
  event: GatewayRequestEvent,
): Promise<{ result: Answered; backend: Backend; decision: Decision<Backend> }> {
  const { config, fleet } = core;
  const model = inbound.model;
  const router = fleet.router(model);
  const session = router.sessionOf((name) => headerValue(req, name), inbound.user);
  const input = { promptText: inbound.promptText, session };
  const tried: Tried = new Map();
  const failures: string[] = [];
  const waitLimit = event.ts + Math.min(config.health.waitMs, config.timeouts.requestMs);
  let onlyRateLimits = true;
  let lastRetryAfterMs = 0;
  let attempts = 0;
  for (;;) {
    if (cancel.aborted) throw cancel.reason;
    const now = Date.now();
    const choice = fleet.choose(model, input, tried, now);
    if (choice.kind === 'exhausted') throw exhausted(model, failures, onlyRateLimits, lastRetryAfterMs);
    if (choice.kind === 'wait') {
      const untilMs = (choice.until ?? now + config.health.cooldownMs) - now;
      if (choice.rateLimited && untilMs > config.retries.maxRetryAfterMs) {
        throw new UpstreamRateLimitError(model, untilMs / 1000);
      }
      if (now >= waitLimit) {
        if (choice.rateLimited) throw new UpstreamRateLimitError(model, untilMs / 1000);
        const waited = ((now - event.ts) / 1000).toFixed(1);
        throw new NoBackendAvailableError(model, `${choice.detail}; waited ${waited} s`, untilMs / 1000);
      }
      const before = Date.now();
      await fleet.wait(model, Math.min(choice.until ?? waitLimit, waitLimit), cancel);
      event.waitedMs += Date.now() - before;
      continue;
    }
    const { backend, decision } = choice;
    attempts += 1;
    const headers = routeHeaders(event.id, decision, attempts, failures);
    let result: AttemptResult;
    try {
      const via = backend.via;
      result = !(via instanceof ProviderLink)
        ? await tryBackend({
            backend,
            http: via,
            inbound,
            path: ENDPOINT_PATHS[inbound.endpoint],
            body: bodies.for(backend),
            res,
            cancel,
            arrival: event.ts,
            firstTokenMs: config.timeouts.firstTokenMs,
            idleMs: config.timeouts.idleMs,
            maxResponseBytes: 64 * 1024 * 1024,
            holdBackUsage: inbound.stream && !inbound.clientWantsUsage,
            headers,
            defaultRetryAfterMs: config.health.cooldownMs,
          })
        : await tryProvider({
            backend,
            link: via,
            inbound,
            call: bodies.providerCall(),
            res,
            cancel,
            arrival: event.ts,
            firstTokenMs: config.timeouts.firstTokenMs,
            idleMs: config.timeouts.idleMs,
            headers,
            defaultRetryAfterMs: config.health.cooldownMs,
          });
    } finally {
      fleet.release(backend);
    }
    event.attempts.push(result.record);
    core.metrics.attempt(backend.name, result.record.outcome);
    if (result.kind === 'answered') return { result, backend, decision };
    if (result.kind === 'aborted') throw cancel.reason;
    failures.push(`${backend.name}: ${result.record.detail ?? result.record.outcome}`);
    if (result.retryAfterMs === undefined) onlyRateLimits = false;
    else lastRetryAfterMs = result.retryAfterMs;
    if (attempts >= config.retries.maxAttempts)
      throw exhausted(model, failures, onlyRateLimits, lastRetryAfterMs);
  }
}

function exhausted(
  model: string,
  failures: string[],
  onlyRateLimits: boolean,
  retryAfterMs: number,
): GatewayRequestError {
  return onlyRateLimits && failures.length > 0
    ? new UpstreamRateLimitError(model, retryAfterMs / 1000)
    : new UpstreamFailedError(model, failures);
}

/** Books the request's real (or, for a broken stream, estimated) usage and cost, and fills the event. */
export async function settleUsage(
  core: GatewayCore,
  served: { result: Answered; backend: Backend; decision: Decision<Backend> },
  inbound: InboundRequest,
  event: GatewayRequestEvent,
  account: KeyAccount | undefined,
  ticket: Ticket | undefined,
) {
  const { result, backend, decision } = served;
  event.status = result.status;
  event.outcome = result.outcome;
  event.backend = backend.name;
  event.policy = decision.policy;
  event.reason = decision.reason;
  event.ttftMs = result.ttftMs;
  let usage: TokenUsage | undefined = result.usage;
  if (!usage && result.outcome !== 'rejected') {
    // The stream broke off before its usage chunk: the server still did the work, so count it.
    usage = {
      promptTokens: Math.ceil(inbound.promptText().length / 4),
      completionTokens: Math.ceil(result.generatedChars / 4),
      cachedTokens: 0,
    };
    event.usageEstimated = true;
  }
  event.usage = usage;
  if (!usage) return;
  event.costUsd = backend.cost(usage);
  const reference = core.fleet.router(inbound.model).cloudReference();
  event.savedUsd = reference ? reference.cost(usage) - event.costUsd : 0;
  // The answer is out; a store that fails now leaves the hold to lapse, and the event says so.
  if (!ticket || !account) return;
  await account
    .settle(ticket, usage.promptTokens + usage.completionTokens, event.costUsd, Date.now())
    .catch((error: unknown) => {
      event.error = { code: 'settle_failed', message: errorMessage(error) };
    });
}

/**
 * The body each backend is sent: the client's, with the model renamed to
 * the backend's own id, the usage chunk asked for on streams, and
 * max_tokens set when a budget needs a bound. Unchanged bytes are reused.
 */
export class UpstreamBodies {
  private readonly cache = new Map<string, Buffer>();
  private call: ProviderCall | undefined;

  constructor(
    private readonly inbound: InboundRequest,
    private readonly raw: Buffer,
    private readonly maxTokens: number | undefined,
  ) {}

  /** The request as a model-layer call, for cloud provider backends (chat only). */
  providerCall(): ProviderCall {
    if (this.inbound.endpoint !== 'chat') {
      throw new InvalidRequestError(
        `\`${this.inbound.model}\` is served by a cloud provider backend here, which takes /v1/chat/completions only.`,
      );
    }
    this.call ??= toProviderCall(this.inbound.body, this.inbound.maxTokens ?? this.maxTokens);
    return this.call;
  }

  for(backend: Backend): Buffer {
    const target = backend.upstreamModel(this.inbound.model);
    const askUsage = this.inbound.stream && !this.inbound.clientWantsUsage;
    const renamed = target !== this.inbound.model;
    if (!renamed && !askUsage && this.maxTokens === undefined) return this.raw;
    let body = this.cache.get(target);
    if (!body) {
      body = !renamed && this.maxTokens === undefined ? this.withUsageSpliced() : undefined;
      body ??= this.reserialized(target, askUsage);
      this.cache.set(target, body);
    }
    return body;
  }

  /**
   * The common streaming case, the client's own bytes with the usage request
   * put in front: valid JSON, no re-serialisation. Only when the client sent
   * no stream_options at all (otherwise they must be merged).
   */
  private withUsageSpliced(): Buffer | undefined {
    if (this.inbound.body.stream_options !== undefined) return undefined;
    const open = this.raw.indexOf(0x7b);
    if (open < 0) return undefined;
    return Buffer.concat([this.raw.subarray(0, open), USAGE_PREFIX, this.raw.subarray(open + 1)]);
  }

  private reserialized(target: string, askUsage: boolean): Buffer {
    const copy: Record<string, unknown> = { ...this.inbound.body, model: target };
    if (askUsage) {
      const options = this.inbound.body.stream_options;
      copy.stream_options = {
        ...(typeof options === 'object' && options !== null ? options : {}),
        include_usage: true,
      };
    }
    if (this.maxTokens !== undefined) copy.max_tokens = this.maxTokens;
    return Buffer.from(JSON.stringify(copy));
  }
}

const USAGE_PREFIX = Buffer.from('{"stream_options":{"include_usage":true},');

/** `x-swarm-backend`: where the request went and why, readable in a curl -i. */
function routeHeaders(
  id: string,
  decision: Decision<Backend>,
  attempt: number,
  failures: readonly string[],
): Record<string, string> {
  let value = `${decision.backend.name}; policy=${decision.policy}; attempt=${attempt}; reason="${headerSafe(decision.reason)}"`;
  if (failures.length > 0) value += `; failed-over="${headerSafe(failures.join(', '))}"`;
  return { 'x-swarm-backend': value, 'x-swarm-request-id': id };
}

function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]|"/g, "'").slice(0, 400);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function asRequestError(
  error: unknown,
  model: string,
  timeoutMs: number,
): GatewayRequestError | undefined {
  if (error instanceof GatewayRequestError) return error;
  if (error instanceof RequestDeadline) return new GatewayTimeoutError(model, timeoutMs);
  return undefined;
}

const RUN_ID = /^[\w-]{1,64}$/;

export function runIdOf(req: IncomingMessage): string | undefined {
  const value = headerValue(req, 'x-swarm-run-id');
  return value !== undefined && RUN_ID.test(value) ? value : undefined;
}

export function newEvent(
  id: string,
  ts: number,
  endpoint: Endpoint,
  runId: string | undefined,
): GatewayRequestEvent {
  return {
    type: 'gateway.request',
    id,
    ts,
    runId,
    endpoint,
    model: undefined,
    stream: false,
    keyId: undefined,
    tenant: undefined,
    status: 0,
    outcome: 'failed',
    backend: undefined,
    policy: undefined,
    reason: undefined,
    attempts: [],
    usage: undefined,
    usageEstimated: false,
    costUsd: 0,
    savedUsd: 0,
    waitedMs: 0,
    ttftMs: undefined,
    durationMs: 0,
    error: undefined,
  };
}
