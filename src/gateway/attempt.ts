import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Backend, HttpEndpoint, TokenUsage } from './backend.js';
import type { Cancellation } from './cancellation.js';
import type { AttemptOutcome, AttemptRecord } from './gateway-events.js';
import type { InboundRequest } from './inbound-request.js';
import { retryAfterMs } from './retry-after.js';
import { MalformedStreamError, SseRelay } from './sse-relay.js';
import { postUpstream, readUpstreamBody, UpstreamConnectionError } from './upstream.js';
import { responseBodySchema, toUsage } from './upstream-usage.js';

/** Why a request or an attempt was aborted; the reason object says which. */
export class ClientGone extends Error {}
export class RequestDeadline extends Error {}
export class FirstTokenTimeout extends Error {}
export class IdleTimeout extends Error {}

/** Statuses that say the backend (not the request) is wrong: try another one. */
export const BACKEND_FAULTS = new Set([401, 403, 404, 408, 409]);
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

export interface AttemptInput {
  backend: Backend;
  http: HttpEndpoint;
  inbound: InboundRequest;
  /** Upstream path below the backend's base path, e.g. `/chat/completions`. */
  path: string;
  body: Buffer;
  res: ServerResponse;
  /** Aborts with ClientGone or RequestDeadline. */
  cancel: Cancellation;
  /** Arrival time of the client request, for time to first token. */
  arrival: number;
  firstTokenMs: number;
  idleMs: number;
  maxResponseBytes: number;
  /** Drop the usage-only chunk the gateway asked for on the client's behalf. */
  holdBackUsage: boolean;
  /** The x-swarm-* headers for the client. */
  headers: Record<string, string>;
  /** Cooldown to apply to a 429 without a retry-after. */
  defaultRetryAfterMs: number;
}

export type AttemptResult =
  /** Failed before the client got anything: another backend may try. */
  | { kind: 'retry'; record: AttemptRecord; retryAfterMs?: number }
  /** The request was cancelled before the client got anything. */
  | { kind: 'aborted'; record: AttemptRecord }
  /** The client got an answer (a completion, an upstream 4xx, or a stream that ended badly). */
  | {
      kind: 'answered';
      record: AttemptRecord;
      status: number;
      outcome: 'ok' | 'rejected' | 'interrupted' | 'cancelled';
      usage: TokenUsage | undefined;
      /** Characters generated, for estimating usage when none came. */
      generatedChars: number;
      ttftMs: number | undefined;
    };

/**
 * One try of one backend: send, classify the answer, and relay it. Health
 * is updated here (a success clears failures; 5xx, resets, timeouts and
 * malformed answers count against the backend; a 429 keeps it out for its
 * retry-after); the caller's slot on the backend is not released here.
 */
export async function tryBackend(a: AttemptInput): Promise<AttemptResult> {
  const { backend } = a;
  const t0 = Date.now();
  const { cancel, detach } = a.cancel.child();
  const firstToken = a.inbound.stream
    ? setTimeout(() => cancel.abort(new FirstTokenTimeout()), a.firstTokenMs)
    : undefined;
  const { record, failed } = recorders(backend, t0);
  try {
    let up: IncomingMessage;
    try {
      up = (
        await postUpstream(
          backend.name,
          a.http,
          a.path,
          a.body,
          a.inbound.stream ? 'text/event-stream' : 'application/json',
          cancel,
        )
      ).res;
    } catch (error) {
      const reason = cancel.reason;
      if (reason instanceof FirstTokenTimeout)
        return failed('first-token-timeout', `no answer within ${a.firstTokenMs} ms`);
      if (cancel.aborted) return { kind: 'aborted', record: record('cancelled') };
      if (error instanceof UpstreamConnectionError && error.unreachable) {
        // Nothing listens there: out until a probe finds it again, not after a few more refusals.
        backend.health.markDown(error.detail);
        return { kind: 'retry', record: record('connect-error', { detail: error.detail }) };
      }
      return failed('connect-error', error instanceof UpstreamConnectionError ? error.detail : String(error));
    }
    const status = up.statusCode ?? 0;
    if (status < 500) backend.lastAliveAt = Date.now();
    if (status === 429) {
      up.resume();
      const waitMs = retryAfterMs(up.headers) ?? a.defaultRetryAfterMs;
      backend.health.rateLimited(Date.now(), waitMs, 'HTTP 429');
      return {
        kind: 'retry',
        record: record('rate-limited', { status, detail: `HTTP 429, retry after ${waitMs} ms` }),
        retryAfterMs: waitMs,
      };
    }
    if (status >= 500 || BACKEND_FAULTS.has(status) || status < 200 || (status >= 300 && status < 400)) {
      up.resume();
      return failed('http-error', `HTTP ${status}`, status);
    }
    if (status >= 400) return await passThrough(a, up, status, record);
    const isStream =
      a.inbound.stream && String(up.headers['content-type'] ?? '').includes('text/event-stream');
    return isStream
      ? await relayStream(a, up, cancel, firstToken, record)
      : await relayBody(a, up, status, record, failed);
  } finally {
    clearTimeout(firstToken);
    detach();
  }
}

export type Recorder = (outcome: AttemptOutcome, extra?: Partial<AttemptRecord>) => AttemptRecord;
export type Failed = (outcome: AttemptOutcome, detail: string, status?: number) => AttemptResult;

/** An attempt's record, timed from `t0`, and its result when it failed (which counts against the backend). */
export function recorders(backend: Backend, t0: number): { record: Recorder; failed: Failed } {
  const record: Recorder = (outcome, extra = {}) => ({
    backend: backend.name,
    outcome,
    ms: Date.now() - t0,
    ...extra,
  });
  const failed: Failed = (outcome, detail, status) => {
    backend.health.recordFailure(Date.now(), detail);
    return {
      kind: 'retry',
      record: record(outcome, { detail, ...(status === undefined ? {} : { status }) }),
    };
  };
  return { record, failed };
}

/** A 4xx about the request itself (bad parameters, prompt too long): the client should see it as is. */
async function passThrough(
  a: AttemptInput,
  up: IncomingMessage,
  status: number,
  record: Recorder,
): Promise<AttemptResult> {
  const body = await readUpstreamBody(up, a.maxResponseBytes).catch(() => Buffer.from('{}'));
  const type = String(up.headers['content-type'] ?? 'application/json');
  return sendWhole(a, status, type, body, record('client-error', { status }), 'rejected', undefined);
}

/** Sends a whole (not streamed) answer to the client, and records that it was answered. */
export function sendWhole(
  a: { res: ServerResponse; headers: Record<string, string> },
  status: number,
  contentType: string,
  body: Buffer,
  rec: AttemptRecord,
  outcome: 'ok' | 'rejected',
  usage: TokenUsage | undefined,
  generatedChars = 0,
): AttemptResult {
  a.res.writeHead(status, {
    'content-type': contentType,
    'content-length': String(body.length),
    ...a.headers,
  });
  a.res.end(body);
  return { kind: 'answered', record: rec, status, outcome, usage, generatedChars, ttftMs: undefined };
}

async function relayBody(
  a: AttemptInput,
  up: IncomingMessage,
  status: number,
  record: Recorder,
  failed: Failed,
): Promise<AttemptResult> {
  let body: Buffer;
  try {
    body = await readUpstreamBody(up, a.maxResponseBytes);
  } catch (error) {
    if (a.cancel.aborted) return { kind: 'aborted', record: record('cancelled') };
    return failed('interrupted', `answer cut off: ${(error as Error).message}`, status);
  }
  let usage: TokenUsage | undefined;
  try {
    const parsed = responseBodySchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) return failed('malformed', 'the answer is JSON but not an OpenAI response', status);
    usage = parsed.data.usage ? toUsage(parsed.data.usage) : undefined;
  } catch {
    return failed('malformed', 'the answer is not valid JSON', status);
  }
  a.backend.health.recordSuccess();
  const type = String(up.headers['content-type'] ?? 'application/json');
  return sendWhole(a, status, type, body, record('ok', { status }), 'ok', usage);
}

/**
 * Relays an SSE stream. Nothing reaches the client until the first good
 * event, so a backend that fails, times out or sends garbage before that is
 * replaced by the next one. After it, a failure ends the stream with an
 * OpenAI error event (which the openai client raises as an APIError), and
 * never leaves the client hanging.
 */
function relayStream(
  a: AttemptInput,
  up: IncomingMessage,
  cancel: Cancellation,
  firstToken: NodeJS.Timeout | undefined,
  record: Recorder,
): Promise<AttemptResult> {
  const { backend, res } = a;
  return new Promise((resolve) => {
    const relay = new SseRelay(a.holdBackUsage);
    let started = false;
    let settled = false;
    let ttftMs: number | undefined;
    const idle = new IdleWatch(a.idleMs, cancel, backend);
    const answered = (outcome: StreamOutcome, rec: AttemptRecord) =>
      streamAnswer(outcome, rec, relay, ttftMs);
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      idle.stop();
      stopListening();
      // A complete response leaves its socket to the agent for the next request.
      if (!up.complete) up.destroy();
      resolve(result);
    };
    const failBefore = (outcome: AttemptOutcome, detail: string) => {
      backend.health.recordFailure(Date.now(), detail);
      finish({ kind: 'retry', record: record(outcome, { status: 200, detail }) });
    };
    const failAfter = (detail: string, code: string, blameBackend: boolean, alreadyTold = false) => {
      if (blameBackend) backend.health.recordFailure(Date.now(), detail);
      if (!alreadyTold) res.write(errorEvent(`${detail}; the answer is incomplete`, code));
      res.end();
      finish(answered('interrupted', record('interrupted', { status: 200, detail })));
    };
    const onAbort = () => {
      const reason = cancel.reason;
      if (reason instanceof FirstTokenTimeout)
        failBefore('first-token-timeout', `no first token within ${a.firstTokenMs} ms`);
      else if (reason instanceof IdleTimeout)
        failAfter(`${backend.name} sent nothing for ${a.idleMs} ms`, 'upstream_stalled', true);
      else if (!started) finish({ kind: 'aborted', record: record('cancelled') });
      else if (reason instanceof RequestDeadline)
        failAfter("the gateway's request timeout passed", 'timeout', false);
      else finish(answered('cancelled', record('cancelled', { status: 200 })));
    };
    const stopListening = cancel.onAbort(onAbort);
    up.on('data', (bytes: Buffer) => {
      if (settled) return;
      let out: Buffer;
      try {
        out = relay.push(bytes);
      } catch (error) {
        const detail = error instanceof MalformedStreamError ? error.message : String(error);
        if (started) failAfter(`${backend.name} sent a malformed event`, 'upstream_malformed', true);
        else failBefore('malformed', detail);
        return;
      }
      if (!started && relay.upstreamError !== undefined) {
        failBefore(
          'http-error',
          `error event before any output: ${JSON.stringify(relay.upstreamError).slice(0, 200)}`,
        );
        return;
      }
      if (out.length === 0) return;
      if (!started) {
        started = true;
        clearTimeout(firstToken);
        ttftMs = Date.now() - a.arrival;
        res.writeHead(200, { ...SSE_HEADERS, ...a.headers });
      }
      idle.beat();
      if (relay.upstreamError !== undefined) {
        res.write(out);
        failAfter(`${backend.name} sent an error mid-stream`, 'upstream_error', true, true);
        return;
      }
      if (!res.write(out)) {
        up.pause();
        res.once('drain', () => up.resume());
      }
    });
    up.on('error', () => {
      // 'close' follows and decides; without a listener the error would be thrown.
    });
    up.on('close', () => {
      if (settled) return;
      if (relay.done) {
        backend.health.recordSuccess();
        if (!started) res.writeHead(200, { ...SSE_HEADERS, ...a.headers });
        res.end();
        finish(answered('ok', record('ok', { status: 200 })));
      } else if (!started) {
        failBefore('interrupted', 'the stream ended before its first event');
      } else {
        failAfter(
          `${backend.name} closed the stream before it finished`,
          'upstream_stream_interrupted',
          true,
        );
      }
    });
  });
}

type StreamOutcome = 'ok' | 'interrupted' | 'cancelled';

/** A streamed answer's result, with the usage and output its relay saw. */
export function streamAnswer(
  outcome: StreamOutcome,
  rec: AttemptRecord,
  seen: { usage: TokenUsage | undefined; generatedChars: number },
  ttftMs: number | undefined,
): AttemptResult {
  return {
    kind: 'answered',
    record: rec,
    status: 200,
    outcome,
    usage: seen.usage,
    generatedChars: seen.generatedChars,
    ttftMs,
  };
}

/**
 * A stream's silence watchdog: aborts with IdleTimeout after `idleMs`
 * without an event. One timer per stream, re-armed only when it fires,
 * instead of one per event.
 */
export class IdleWatch {
  private lastEventAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly idleMs: number,
    private readonly cancel: Cancellation,
    private readonly backend: Backend,
  ) {}

  /** An event went out: the stream (and its backend) is alive. */
  beat(): void {
    this.lastEventAt = Date.now();
    this.backend.lastAliveAt = this.lastEventAt;
    this.timer ??= setTimeout(this.check, this.idleMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private readonly check = () => {
    const quiet = Date.now() - this.lastEventAt;
    if (quiet >= this.idleMs) this.cancel.abort(new IdleTimeout());
    else this.timer = setTimeout(this.check, this.idleMs - quiet);
  };
}

/** An OpenAI error event, the way OpenAI reports a failure inside a stream. */
export function errorEvent(message: string, code: string): string {
  return `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code } })}\n\n`;
}
