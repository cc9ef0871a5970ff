import type { ServerResponse } from 'node:http';
import { APICallError, type LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { errorMessage } from '../core/errors.js';
import {
  type AttemptResult,
  BACKEND_FAULTS,
  errorEvent,
  type Failed,
  FirstTokenTimeout,
  IdleTimeout,
  IdleWatch,
  type Recorder,
  RequestDeadline,
  recorders,
  SSE_HEADERS,
  sendWhole,
  streamAnswer,
} from './attempt.js';
import type { Backend } from './backend.js';
import type { Cancellation } from './cancellation.js';
import type { AttemptRecord } from './gateway-events.js';
import type { InboundRequest } from './inbound-request.js';
import type { ProviderLink } from './provider-link.js';
import type { ProviderCall } from './provider-request.js';
import { ChunkWriter, completionBody, toTokenUsage } from './provider-response.js';
import { retryAfterMs } from './retry-after.js';

export interface ProviderAttemptInput {
  backend: Backend;
  link: ProviderLink;
  inbound: InboundRequest;
  call: ProviderCall;
  res: ServerResponse;
  cancel: Cancellation;
  arrival: number;
  firstTokenMs: number;
  idleMs: number;
  headers: Record<string, string>;
  defaultRetryAfterMs: number;
}

/**
 * One try of a cloud provider backend, through the model layer: the same
 * contract as `tryBackend` (retry before the first byte, health updated,
 * the slot left to the caller), with the answer converted to OpenAI's format.
 */
export async function tryProvider(a: ProviderAttemptInput): Promise<AttemptResult> {
  const { backend } = a;
  const t0 = Date.now();
  const { cancel, detach } = a.cancel.child();
  const controller = new AbortController();
  const unhook = cancel.onAbort(() => controller.abort());
  const firstToken = a.inbound.stream
    ? setTimeout(() => cancel.abort(new FirstTokenTimeout()), a.firstTokenMs)
    : undefined;
  const { record, failed } = recorders(backend, t0);
  const options = { ...a.call, abortSignal: controller.signal };
  try {
    const model = await a.link.model(a.inbound.model);
    if (!a.inbound.stream) {
      let result: Awaited<ReturnType<typeof model.doGenerate>>;
      try {
        result = await model.doGenerate(options);
      } catch (error) {
        return refused(a, error, cancel, record, failed);
      }
      backend.lastAliveAt = Date.now();
      backend.health.recordSuccess();
      const body = Buffer.from(JSON.stringify(completionBody(result, model.modelId)));
      const chars = result.content.reduce(
        (n, part) =>
          n + (part.type === 'text' ? part.text.length : part.type === 'tool-call' ? part.input.length : 0),
        0,
      );
      const usage = toTokenUsage(result.usage);
      return sendWhole(a, 200, 'application/json', body, record('ok', { status: 200 }), 'ok', usage, chars);
    }
    let stream: ReadableStream<LanguageModelV3StreamPart>;
    try {
      stream = (await model.doStream({ ...options, includeRawChunks: false })).stream;
    } catch (error) {
      return refused(a, error, cancel, record, failed);
    }
    return await relayParts(a, stream, cancel, firstToken, record, failed, model.modelId);
  } finally {
    clearTimeout(firstToken);
    unhook();
    detach();
  }
}

/** A call the provider refused or could not take, before any answer: classified as tryBackend does. */
function refused(
  a: ProviderAttemptInput,
  error: unknown,
  cancel: Cancellation,
  record: Recorder,
  failed: Failed,
): AttemptResult {
  if (cancel.reason instanceof FirstTokenTimeout)
    return failed('first-token-timeout', `no answer within ${a.firstTokenMs} ms`);
  if (cancel.aborted) return { kind: 'aborted', record: record('cancelled') };
  const status = APICallError.isInstance(error) ? error.statusCode : undefined;
  if (status === undefined) return failed('connect-error', errorMessage(error));
  if (status < 500) a.backend.lastAliveAt = Date.now();
  if (status === 429) {
    const waitMs = retryAfterMs((error as APICallError).responseHeaders ?? {}) ?? a.defaultRetryAfterMs;
    a.backend.health.rateLimited(Date.now(), waitMs, 'HTTP 429');
    return {
      kind: 'retry',
      record: record('rate-limited', { status, detail: `HTTP 429, retry after ${waitMs} ms` }),
      retryAfterMs: waitMs,
    };
  }
  if (status >= 500 || BACKEND_FAULTS.has(status) || status < 400)
    return failed('http-error', `HTTP ${status}: ${errorMessage(error)}`, status);
  // The request itself was refused (bad parameters, prompt too long): the client sees why, as OpenAI would say it.
  const body = Buffer.from(
    JSON.stringify({
      error: { message: errorMessage(error), type: 'invalid_request_error', param: null, code: null },
    }),
  );
  return sendWhole(
    a,
    status,
    'application/json',
    body,
    record('client-error', { status }),
    'rejected',
    undefined,
  );
}

/**
 * Writes the model layer's stream parts to the client as OpenAI chunks.
 * Nothing is sent before the first visible output, so a provider that fails
 * or stays silent until then is replaced by the next backend; after it, a
 * failure ends the stream with an OpenAI error event, never a hang.
 */
async function relayParts(
  a: ProviderAttemptInput,
  stream: ReadableStream<LanguageModelV3StreamPart>,
  cancel: Cancellation,
  firstToken: NodeJS.Timeout | undefined,
  record: Recorder,
  failed: Failed,
  modelId: string,
): Promise<AttemptResult> {
  const { backend, res } = a;
  const writer = new ChunkWriter(modelId, a.inbound.clientWantsUsage);
  const reader = stream.getReader();
  const stopReading = cancel.onAbort(() => void reader.cancel().catch(() => {}));
  let started = false;
  let ttftMs: number | undefined;
  const idle = new IdleWatch(a.idleMs, cancel, backend);
  const answered = (outcome: 'ok' | 'interrupted' | 'cancelled', rec: AttemptRecord) =>
    streamAnswer(outcome, rec, writer, ttftMs);
  const failAfter = (detail: string, code: string, blameBackend: boolean): AttemptResult => {
    if (blameBackend) backend.health.recordFailure(Date.now(), detail);
    res.end(errorEvent(`${detail}; the answer is incomplete`, code));
    return answered('interrupted', record('interrupted', { status: 200, detail }));
  };
  const afterAbort = (): AttemptResult => {
    const reason = cancel.reason;
    if (reason instanceof FirstTokenTimeout)
      return failed('first-token-timeout', `no first token within ${a.firstTokenMs} ms`);
    if (!started) return { kind: 'aborted', record: record('cancelled') };
    if (reason instanceof IdleTimeout)
      return failAfter(`${backend.name} sent nothing for ${a.idleMs} ms`, 'upstream_stalled', true);
    if (reason instanceof RequestDeadline)
      return failAfter("the gateway's request timeout passed", 'timeout', false);
    // The client went away (ClientGone): what it got so far is all it asked for.
    return answered('cancelled', record('cancelled', { status: 200 }));
  };
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        if (cancel.aborted) return afterAbort();
        const detail = `the stream broke off: ${errorMessage(error)}`;
        return started
          ? failAfter(`${backend.name}: ${detail}`, 'upstream_stream_interrupted', true)
          : failed('interrupted', detail);
      }
      if (cancel.aborted) return afterAbort();
      if (next.done) break;
      const part = next.value;
      if (part.type === 'error') {
        const detail = `error event: ${errorMessage(part.error)}`;
        if (!started) return failed('http-error', `${detail} before any output`);
        return failAfter(`${backend.name} sent an error mid-stream`, 'upstream_error', true);
      }
      const out = writer.push(part);
      if (out === '') continue;
      if (!started) {
        started = true;
        clearTimeout(firstToken);
        ttftMs = Date.now() - a.arrival;
        res.writeHead(200, { ...SSE_HEADERS, ...a.headers });
      }
      idle.beat();
      if (!res.write(out)) await drained(res, cancel);
    }
    if (!writer.finished) {
      return started
        ? failAfter(
            `${backend.name} closed the stream before it finished`,
            'upstream_stream_interrupted',
            true,
          )
        : failed('interrupted', 'the stream ended before its first event');
    }
    backend.health.recordSuccess();
    res.end();
    return answered('ok', record('ok', { status: 200 }));
  } finally {
    idle.stop();
    stopReading();
    reader.releaseLock();
  }
}

/** Waits for the client to take what was written, or for the request to be cancelled. */
function drained(res: ServerResponse, cancel: Cancellation): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      stop();
      resolve();
    };
    const stop = cancel.onAbort(done);
    res.once('drain', done);
  });
}
