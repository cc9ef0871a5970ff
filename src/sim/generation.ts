import type { ServerResponse } from 'node:http';
import { sendJson, sendOpenAiError } from './http-io.js';
import { decodeMsPerToken, prefillMs } from './performance.js';
import { type FinishReason, planReply, type ReplyPlan } from './reply-plan.js';
import type { RecordedRequest } from './request-log.js';
import { RequestTiming } from './request-timing.js';
import type { RequestFeatures } from './rule-book.js';
import type { Fault } from './scenario.js';
import type { FinishLabel } from './sim-metrics.js';
import type { SimState } from './sim-state.js';
import { sleep } from './sleep.js';
import { estimateTokens, type Usage } from './tokens.js';

/** How one endpoint (chat, legacy completions, Anthropic messages) puts a planned reply on the wire. */
export interface WireFormat {
  body(plan: ReplyPlan, usage: Usage): unknown;
  /** Every SSE payload in order; `usage` is given when the client asked for include_usage. */
  chunks(plan: ReplyPlan, usage: Usage | undefined): object[];
  /** One SSE event; OpenAI's `data: <json>` framing when absent. */
  frame?(payload: object): string;
  /** What ends a stream; OpenAI's `data: [DONE]` when absent. */
  terminator?: string;
  /** The error body for an HTTP fault; OpenAI's envelope when absent. */
  errorBody?(status: number, message: string | undefined): object;
}

const openAiFrame = (payload: object) => `data: ${JSON.stringify(payload)}\n\n`;
const OPENAI_DONE = 'data: [DONE]\n\n';

export interface GenerationRequest {
  model: string;
  features: RequestFeatures;
  promptText: string;
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | undefined;
  toolsAllowed: boolean;
  wire: WireFormat;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

/**
 * Serves one generation request: pick the rule, answer an HTTP fault at the
 * door, otherwise queue for a slot, wait the latency, then deliver the reply
 * (whole or streamed) with any cut, stall or malformed fault on the way.
 * `signal` aborts when the client hangs up or the server closes; the slot
 * and the KV blocks are given back whatever happens.
 */
export async function serveGeneration(
  state: SimState,
  request: GenerationRequest,
  res: ServerResponse,
  signal: AbortSignal,
  entry: RecordedRequest,
): Promise<void> {
  const selection = state.book.select(request.features);
  entry.rule = selection.label;
  const plan = planReply(selection.reply, state.scenario.defaults, request);
  const fault = selection.fault;
  if (fault?.type === 'http') {
    await sleep(plan.latencyMs, signal);
    if (!signal.aborted) sendHttpFault(res, fault, request.wire);
    return;
  }
  const arrivedAt = performance.now();
  const release = await state.gate.acquire(request.model, signal);
  if (!release) return;
  const timing = new RequestTiming(arrivedAt, performance.now());
  const promptTokens = plan.promptTokens ?? estimateTokens(request.promptText);
  const admission = state.metrics.admit(
    request.model,
    request.promptText,
    promptTokens,
    plan.completionTokens,
  );
  const usage: Usage = {
    promptTokens,
    completionTokens: plan.completionTokens,
    cachedTokens: admission.cachedTokens,
  };
  const profile = state.scenario.performance;
  // Each step's cost is read when it is taken: the batch grows and shrinks while a request decodes.
  const tokenMs = () => (profile ? decodeMsPerToken(profile, state.gate.totalRunning) : 0);
  let delivered = false;
  try {
    await sleep(plan.latencyMs, signal);
    if (profile) await state.prefill.run(prefillMs(profile, promptTokens - admission.cachedTokens), signal);
    if (signal.aborted) return;
    if (request.stream) {
      const payloads = request.wire.chunks(plan, request.includeUsage ? usage : undefined);
      const perChunk = plan.completionTokens / Math.max(1, payloads.length);
      delivered = await writeStream(res, request.wire, payloads, fault, signal, {
        delayMs: () => plan.chunkDelayMs + perChunk * tokenMs(),
        wrote: () => timing.wrote(perChunk),
      });
    } else {
      await sleep(plan.completionTokens * tokenMs(), signal);
      if (signal.aborted) return;
      timing.wrote(plan.completionTokens);
      delivered = await writeBody(res, JSON.stringify(request.wire.body(plan, usage)), fault, signal);
    }
  } finally {
    admission.finish(
      delivered ? finishLabel(plan.finishReason) : 'abort',
      delivered ? usage.completionTokens : 0,
      timing.summary(),
    );
    release();
  }
}

/** How a stream is paced, and who hears of each write. */
interface Pace {
  /** The wait before the next chunk. */
  delayMs(): number;
  wrote(): void;
}

type DeliveryFault = Exclude<Fault, { type: 'http' }> | undefined;

async function writeStream(
  res: ServerResponse,
  wire: WireFormat,
  payloads: object[],
  fault: DeliveryFault,
  signal: AbortSignal,
  pace: Pace,
): Promise<boolean> {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  // A fault placed past the last chunk strikes just before [DONE] rather than not at all.
  const faultAt = fault === undefined ? -1 : Math.min(fault.afterChunks, payloads.length);
  for (let i = 0; i <= payloads.length; i++) {
    if (i === faultAt && fault !== undefined) {
      if (fault.type === 'cut') {
        dropConnection(res);
        return false;
      }
      if (fault.type === 'stall') await sleep(fault.stallMs ?? Number.POSITIVE_INFINITY, signal);
      if (fault.type === 'malformed' && !signal.aborted) {
        // Truncated JSON in an otherwise well-formed event; the stream then carries on.
        res.write('data: {"id":"malformed","choices":[{"delta":\n\n');
      }
    }
    if (i > 0) await sleep(pace.delayMs(), signal);
    if (signal.aborted || res.destroyed) return false;
    if (i < payloads.length) {
      pace.wrote();
      res.write((wire.frame ?? openAiFrame)(payloads[i] as object));
    } else {
      const end = wire.terminator ?? OPENAI_DONE;
      if (end !== '') res.write(end);
    }
  }
  res.end();
  return true;
}

async function writeBody(res: ServerResponse, text: string, fault: DeliveryFault, signal: AbortSignal) {
  const bytes = Buffer.from(text);
  const half = bytes.subarray(0, Math.floor(bytes.length / 2));
  const headers = { 'content-type': 'application/json' };
  switch (fault?.type) {
    case 'cut':
      // Promise the whole body, send half, drop the connection: the client's body read fails.
      res.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
      res.write(half);
      dropConnection(res);
      return false;
    case 'malformed':
      res.writeHead(200, { ...headers, 'content-length': String(half.length) });
      res.end(half);
      return true;
    case 'stall':
      await sleep(fault.stallMs ?? Number.POSITIVE_INFINITY, signal);
      if (signal.aborted) return false;
      break;
  }
  res.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
  res.end(bytes);
  return true;
}

/** Closes the connection once what was written has gone out, leaving the HTTP response unfinished. */
function dropConnection(res: ServerResponse) {
  if (res.socket) res.socket.end();
  else res.destroy();
}

function sendHttpFault(res: ServerResponse, fault: Extract<Fault, { type: 'http' }>, wire: WireFormat) {
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
  if (wire.errorBody)
    return sendJson(res, fault.status, wire.errorBody(fault.status, fault.message), headers);
  const { message, type, code } = faultError(fault.status);
  sendOpenAiError(res, fault.status, fault.message ?? message, { type, code }, headers);
}

/** The bodies OpenAI sends for these statuses, so clients classify them as they would the real thing. */
function faultError(status: number): { message: string; type: string; code: string | null } {
  if (status === 429) {
    return {
      message: 'Rate limit reached for requests (simulated).',
      type: 'requests',
      code: 'rate_limit_exceeded',
    };
  }
  if (status === 503) {
    return {
      message: 'The server is overloaded, please try again later (simulated).',
      type: 'server_error',
      code: null,
    };
  }
  if (status >= 500) {
    return {
      message: 'The server had an error while processing your request (simulated).',
      type: 'server_error',
      code: null,
    };
  }
  return {
    message: `Request rejected with status ${status} (simulated).`,
    type: 'invalid_request_error',
    code: null,
  };
}

function finishLabel(reason: FinishReason): FinishLabel {
  return reason === 'length' ? 'length' : 'stop';
}
