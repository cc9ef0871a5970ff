import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from './concurrency-gate.js';
import { embed, toBase64 } from './embeddings.js';
import { PrefixCache } from './prefix-cache.js';
import { planReply } from './reply-plan.js';

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);

describe('embed', () => {
  it('is deterministic, unit length and sized as asked', () => {
    const a = embed('The cat sat on the mat', 64);
    expect(a).toHaveLength(64);
    expect(embed('The cat sat on the mat', 64)).toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1, 10);
    expect(embed('x')).toHaveLength(256);
  });

  it('scores related texts above unrelated ones', () => {
    const q = embed('how do I configure the model router');
    expect(cosine(q, embed('configuring the router for models'))).toBeGreaterThan(
      cosine(q, embed('banana bread recipe with walnuts')) + 0.2,
    );
  });

  it('encodes base64 as float32', () => {
    const v = embed('abc', 8);
    const bytes = Buffer.from(toBase64(v), 'base64');
    const back = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    expect(Array.from(back).map((x) => x.toFixed(5))).toEqual(v.map((x) => x.toFixed(5)));
  });
});

describe('PrefixCache', () => {
  // Blocks are 16 tokens of ~4 characters.
  const blocks = (...letters: string[]) => letters.map((l) => l.repeat(64)).join('');
  it('hits the leading blocks a previous prompt shared, per model', () => {
    const cache = new PrefixCache(100);
    expect(cache.lookup('m', `${blocks('a', 'b', 'c')}tail`)).toBe(0);
    expect(cache.lookup('m', blocks('a', 'b', 'c'))).toBe(3);
    expect(cache.lookup('m', blocks('a', 'b', 'd', 'c'))).toBe(2);
    expect(cache.lookup('m', blocks('b', 'c'))).toBe(0);
    expect(cache.lookup('other', blocks('a', 'b', 'c'))).toBe(0);
  });

  it('evicts the least recently used blocks beyond capacity', () => {
    const cache = new PrefixCache(2);
    cache.lookup('m', 'a'.repeat(64));
    cache.lookup('m', 'b'.repeat(64));
    cache.lookup('m', 'a'.repeat(64));
    cache.lookup('m', 'c'.repeat(64));
    expect(cache.lookup('m', 'a'.repeat(64))).toBe(1);
    expect(cache.lookup('m', 'b'.repeat(64))).toBe(0);
  });
});

describe('ConcurrencyGate', () => {
  it('queues beyond the limit in order and lets an aborted waiter leave', async () => {
    const gate = new ConcurrencyGate(1);
    const never = new AbortController().signal;
    const first = await gate.acquire('m', never);
    const leaving = new AbortController();
    const second = gate.acquire('m', leaving.signal);
    const third = gate.acquire('m', never);
    expect([gate.running('m'), gate.waiting('m')]).toEqual([1, 2]);
    leaving.abort();
    expect(await second).toBeUndefined();
    expect(gate.waiting('m')).toBe(1);
    first?.();
    first?.();
    const admitted = await third;
    expect([gate.running('m'), gate.waiting('m')]).toEqual([1, 0]);
    admitted?.();
    expect(gate.running('m')).toBe(0);
  });
});

describe('planReply', () => {
  const features = {
    model: 'm',
    system: '',
    lastUser: 'héllo wörld',
    lastToolResult: undefined,
    toolNames: [],
  };
  const defaults = { latencyMs: 1, chunkDelayMs: 2, chunkSize: 3 };
  it('fills templates, encodes arguments and picks the finish reason', () => {
    const plan = planReply(
      {
        content: 'echo: {{lastUser}} ({{model}})',
        toolCalls: [{ name: 'f', arguments: { a: 1 } }],
        chunkSize: 5,
      },
      defaults,
      { features, maxTokens: undefined, toolsAllowed: true },
    );
    expect(plan.content).toBe('echo: héllo wörld (m)');
    expect(plan.toolCalls[0]).toMatchObject({
      name: 'f',
      arguments: '{"a":1}',
      id: expect.stringMatching(/^call_/),
    });
    expect(plan.finishReason).toBe('tool_calls');
    expect([plan.latencyMs, plan.chunkDelayMs, plan.chunkSize]).toEqual([1, 2, 5]);
  });

  it('stops at max_tokens with finish_reason length', () => {
    const plan = planReply({ content: 'a'.repeat(100) }, defaults, {
      features,
      maxTokens: 5,
      toolsAllowed: true,
    });
    expect(plan.content).toBe('a'.repeat(20));
    expect(plan.finishReason).toBe('length');
    expect(plan.completionTokens).toBe(5);
  });
});
