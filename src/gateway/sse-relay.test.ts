import { describe, expect, it } from 'vitest';
import { fixtureChunks } from '../../test/support/wire-kit.js';
import { MalformedStreamError, SseRelay } from './sse-relay.js';

const wire = (payloads: string[]) => `${payloads.map((p) => `data: ${p}\n\n`).join('')}data: [DONE]\n\n`;

/** Feeds `text` in pieces of `size` bytes, which may split events and UTF-8 characters. */
function relay(text: string, size: number, holdBackUsage = false): { out: string; relay: SseRelay } {
  const r = new SseRelay(holdBackUsage);
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(r.push(bytes.subarray(i, i + size)));
  return { out: Buffer.concat(out).toString('utf8'), relay: r };
}

describe('SseRelay', () => {
  it('passes a real stream through unchanged however it is cut, counting usage and text', () => {
    const chunks = fixtureChunks('openai-text.chunks.txt').map((c) => JSON.stringify(c));
    const text = wire(chunks);
    for (const size of [1, 7, 64, 100_000]) {
      const { out, relay: r } = relay(text, size);
      expect(out, `pieces of ${size}`).toBe(text);
      expect(r.done).toBe(true);
      expect(r.events).toBe(chunks.length);
      expect(r.usage?.completionTokens).toBeGreaterThan(0);
      expect(r.generatedChars).toBeGreaterThan(0);
    }
  });

  it('forwards whole events as the very buffer that came in', () => {
    const bytes = Buffer.from(wire([JSON.stringify({ choices: [{ delta: { content: 'hi' } }] })]));
    expect(new SseRelay(false).push(bytes)).toBe(bytes);
  });

  it('keeps multi-byte characters whole across pieces', () => {
    const payload = JSON.stringify({ choices: [{ delta: { content: 'héllo wörld – 你好 🙂' } }] });
    const { out } = relay(wire([payload]), 3);
    expect(out).toBe(wire([payload]));
  });

  it('holds back the usage-only chunk it asked for, and nothing else', () => {
    const usage = JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } });
    const content = JSON.stringify({ choices: [{ delta: { content: 'hi' } }] });
    const { out, relay: r } = relay(wire([content, usage]), 1000, true);
    expect(out).toBe(wire([content]));
    expect(r.usage).toEqual({ promptTokens: 3, completionTokens: 2, cachedTokens: 0 });
  });

  it('accepts CRLF, comments and multi-line data', () => {
    const r = new SseRelay(false);
    const out = r.push(Buffer.from(': keep-alive\r\n\r\ndata: {"choices":\r\ndata: []}\r\n\r\n')).toString();
    expect(out).toBe(': keep-alive\n\ndata: {"choices":\ndata: []}\n\n');
    expect(r.events).toBe(1);
  });

  it('refuses a malformed event and remembers an upstream error event', () => {
    expect(() => relay(wire(['{"choices":[{"delta":']), 1000)).toThrow(MalformedStreamError);
    expect(() => relay(wire(['{"choices":"not a list"}']), 1000)).toThrow(MalformedStreamError);
    const { relay: r } = relay(wire([JSON.stringify({ error: { message: 'overloaded' } })]), 1000);
    expect(r.upstreamError).toEqual({ message: 'overloaded' });
  });
});
