import type { TokenUsage } from './backend.js';
import { generatedChars, type StreamChunk, toUsage, usageSchema } from './upstream-usage.js';

/** An upstream stream event that is not valid JSON (or not a chunk): the stream cannot be trusted past it. */
export class MalformedStreamError extends Error {
  constructor(readonly payload: string) {
    super(`malformed stream event: ${payload.length > 120 ? `${payload.slice(0, 120)}...` : payload}`);
  }
}

/**
 * Passes an upstream SSE stream through event by event. Every complete
 * event is checked (its JSON parsed, usage and generated text counted) and
 * forwarded as the upstream wrote it, so tool calls and unknown fields
 * reach the client unchanged. The usage-only chunk the gateway asked for on
 * the client's behalf is held back when the client did not ask for it.
 */
export class SseRelay {
  /** Data events seen, [DONE] excluded. */
  events = 0;
  done = false;
  usage: TokenUsage | undefined;
  /** Generated characters seen, for estimating usage when the stream breaks off. */
  generatedChars = 0;
  /** The `error` object of an error event the upstream sent mid-stream. */
  upstreamError: unknown;
  private pending: Buffer | undefined;
  /** Set once the upstream is seen to end lines with CR LF: from then on events are rewritten with LF. */
  private crlf = false;

  constructor(private readonly holdBackUsage: boolean) {}

  /**
   * The bytes to forward for this piece of upstream body (empty until an
   * event completes). Event boundaries are ASCII, so the body is cut as
   * bytes and the common case, whole events all kept, forwards the very
   * buffer that came in, with no copy and no re-encoding.
   */
  push(bytes: Buffer): Buffer {
    const data = this.pending ? Buffer.concat([this.pending, bytes]) : bytes;
    if (!this.crlf && data.includes(13)) this.crlf = true;
    if (this.crlf) return this.pushText(data);
    const kept: Buffer[] = [];
    let start = 0;
    let keptAll = true;
    for (;;) {
      const end = data.indexOf('\n\n', start);
      if (end < 0) break;
      if (this.inspect(data.toString('utf8', start, end))) kept.push(data.subarray(start, end + 2));
      else keptAll = false;
      start = end + 2;
    }
    this.pending = start < data.length ? data.subarray(start) : undefined;
    if (keptAll) return start === data.length ? data : data.subarray(0, start);
    return Buffer.concat(kept);
  }

  /** The slow path for CR LF streams: decoded, normalised to LF, re-encoded. */
  private pushText(data: Buffer): Buffer {
    const text = data.toString('utf8').replace(/\r\n?/g, '\n');
    let out = '';
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n\n', start);
      if (end < 0) break;
      const event = text.slice(start, end);
      start = end + 2;
      if (this.inspect(event)) out += `${event}\n\n`;
    }
    const rest = text.slice(start);
    this.pending = rest === '' ? undefined : Buffer.from(rest);
    return Buffer.from(out);
  }

  /** Returns whether to forward the event; throws MalformedStreamError. */
  private inspect(event: string): boolean {
    const data = dataOf(event);
    if (data === undefined) return true;
    if (data === '[DONE]') {
      this.done = true;
      return true;
    }
    let chunk: StreamChunk;
    try {
      chunk = JSON.parse(data) as StreamChunk;
    } catch {
      throw new MalformedStreamError(data);
    }
    if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk))
      throw new MalformedStreamError(data);
    if (chunk.choices !== undefined && chunk.choices !== null && !Array.isArray(chunk.choices)) {
      throw new MalformedStreamError(data);
    }
    this.events += 1;
    if (chunk.error !== undefined) this.upstreamError = chunk.error;
    this.generatedChars += generatedChars(chunk);
    if (chunk.usage !== undefined && chunk.usage !== null) {
      const usage = usageSchema.safeParse(chunk.usage);
      if (!usage.success) throw new MalformedStreamError(data);
      this.usage = toUsage(usage.data);
      if (this.holdBackUsage && (!Array.isArray(chunk.choices) || chunk.choices.length === 0)) return false;
    }
    return true;
  }
}

/** The data of an event (its `data:` lines joined), or undefined for comments and data-less events. */
function dataOf(event: string): string | undefined {
  if (event.startsWith('data: ') && !event.includes('\n')) return event.slice(6);
  let data: string | undefined;
  for (const line of event.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const value = line.slice(line[5] === ' ' ? 6 : 5);
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return data;
}
