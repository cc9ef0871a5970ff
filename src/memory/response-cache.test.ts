import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import type { ModelCallResult } from '../models/model-client.js';
import type { CacheableCall } from './cache-key.js';
import { MemoryStore } from './memory-store.js';
import { ResponseCache } from './response-cache.js';

interface Pair {
  label: 'same' | 'different';
  note: string;
  a: { role: string; content: string }[];
  b: { role: string; content: string }[];
}

const pairs = (
  JSON.parse(readFileSync(new URL('../../bench/memory-cache-pairs.json', import.meta.url), 'utf8')) as {
    pairs: Pair[];
  }
).pairs;

function prompt(messages: { role: string; content: string }[]): LanguageModelV3Prompt {
  return messages.map((m) =>
    m.role === 'system'
      ? { role: 'system', content: m.content }
      : { role: m.role as 'user', content: [{ type: 'text', text: m.content }] },
  );
}

function call(
  messages: { role: string; content: string }[],
  extra: Partial<CacheableCall> = {},
): CacheableCall {
  return {
    models: ['sim:sim-model'],
    prompt: prompt(messages),
    maxOutputTokens: 256,
    temperature: 0,
    tenant: 't',
    ...extra,
  };
}

function answer(text: string): ModelCallResult {
  return {
    model: 'sim:sim-model',
    text,
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0 },
    costUsd: 0.001,
  };
}

const signal = new AbortController().signal;
const user = (text: string) => [{ role: 'user', content: text }];

describe('ResponseCache', () => {
  it('serves an exact repeat of the whole conversation, and nothing for another tenant or model', async () => {
    const cache = new ResponseCache();
    const first = await cache.run(call(user('hello')), { signal }, async () => answer('hi'));
    expect(first.source).toBe('upstream');
    expect(cache.lookup(call(user('hello')))?.source).toBe('exact');
    expect(cache.lookup(call(user('hello'), { tenant: 'other' }))).toBeUndefined();
    expect(cache.lookup(call(user('hello'), { models: ['openai:gpt-4.1'] }))).toBeUndefined();
    expect(cache.lookup(call(user('hello'), { maxOutputTokens: 512 }))).toBeUndefined();
  });

  it('never serves a labelled near miss, and serves most phrasing-only variants', async () => {
    let falseHits = 0;
    let trueHits = 0;
    for (const [i, pair] of pairs.entries()) {
      // one cache per pair: some pairs share a prompt, and a true exact hit across pairs is no false hit
      const cache = new ResponseCache();
      await cache.run(call(pair.a), { signal }, async () => answer(`answer ${i}`));
      const hit = cache.lookup(call(pair.b));
      if (hit && pair.label === 'different') falseHits++;
      if (hit && pair.label === 'same') trueHits++;
    }
    expect(falseHits).toBe(0);
    const same = pairs.filter((p) => p.label === 'same').length;
    expect(trueHits).toBeGreaterThanOrEqual(Math.ceil(same * 0.75));
  });

  it('does not serve or store calls sampled above the temperature threshold', async () => {
    const cache = new ResponseCache({ maxTemperature: 0.2 });
    let runs = 0;
    const hot = call(user('a poem'), { temperature: 0.9 });
    await cache.run(hot, { signal }, async () => answer(`poem ${++runs}`));
    const second = await cache.run(hot, { signal }, async () => answer(`poem ${++runs}`));
    expect(second).toEqual({ result: answer('poem 2'), source: 'upstream' });
    const unset = call(user('a poem'), { temperature: undefined });
    await cache.run(unset, { signal }, async () => answer('x'));
    expect(cache.lookup(unset)).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 0, bypassed: 3 });
  });

  it('drops answers built on a source the moment it changes', async () => {
    const cache = new ResponseCache();
    await cache.run(
      call(user('what does reserve() do?')),
      { signal, dependencies: ['src/a.ts#1', 'src/b.ts#2'] },
      async () => answer('it reserves'),
    );
    await cache.run(call(user('unrelated')), { signal, dependencies: ['src/c.ts#3'] }, async () =>
      answer('ok'),
    );
    expect(cache.invalidate('src/b.ts#2')).toBe(1);
    expect(cache.lookup(call(user('what does reserve() do?')))).toBeUndefined();
    expect(cache.lookup(call(user('unrelated')))?.source).toBe('exact');
  });

  it('drops answers whose provenance names a memory segment that changed, through store()', async () => {
    const root = mkdtempSync(join(tmpdir(), 'swarm-cache-segments-'));
    const store = await MemoryStore.open({ dir: join(root, 'memory'), root, background: false });
    try {
      mkdirSync(join(root, 'docs'));
      writeFileSync(join(root, 'docs/a.md'), '# A\n\nLeases expire after thirty seconds.\n');
      writeFileSync(join(root, 'docs/b.md'), '# B\n\nBudgets are reserved up front.\n');
      await store.ingest([join(root, 'docs/a.md')]);
      await store.ingest([join(root, 'docs/b.md')]);
      expect(store.stats().segments).toBe(2);
      const segmentOf = async (query: string) =>
        Number((await store.search({ query, mode: 'bm25', k: 1 })).hits[0]!.id.split(':')[0]);
      const cache = new ResponseCache();
      cache.attach(store);
      const onA = call(user('when do leases expire?'));
      const onB = call(user('when are budgets reserved?'));
      cache.store(onA, answer('after 30 s'), { segments: [await segmentOf('leases expire')] });
      cache.store(onB, answer('up front'), { segments: [await segmentOf('budgets reserved')] });
      await store.remove(['docs/a.md']);
      expect(cache.lookup(onA)).toBeUndefined();
      expect(cache.lookup(onB)?.source).toBe('exact');
      expect(cache.stats().invalidated).toBe(1);
      // sampled too hot to serve again: not stored
      cache.store(call(user('a poem'), { temperature: 1 }), answer('roses'));
      expect(cache.lookup(call(user('a poem'), { temperature: 0 }))).toBeUndefined();
    } finally {
      await store.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('expires answers after the TTL and evicts the least recently used past the size bound', async () => {
    let now = 1_000;
    const cache = new ResponseCache({ ttlMs: 100, maxEntries: 2 }, () => now);
    await cache.run(call(user('one')), { signal }, async () => answer('1'));
    await cache.run(call(user('two')), { signal }, async () => answer('2'));
    expect(cache.lookup(call(user('one')))?.source).toBe('exact');
    await cache.run(call(user('three')), { signal }, async () => answer('3'));
    expect(cache.lookup(call(user('two')))).toBeUndefined();
    expect(cache.lookup(call(user('one')))).toBeDefined();
    now += 101;
    expect(cache.lookup(call(user('one')))).toBeUndefined();
    expect(cache.stats().evicted).toBe(1);
  });

  it('makes one upstream call for 50 identical concurrent calls', async () => {
    const cache = new ResponseCache();
    let upstream = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        cache.run(call(user('same question')), { signal }, async () => {
          upstream++;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return answer('same answer');
        }),
      ),
    );
    expect(upstream).toBe(1);
    expect(outcomes.filter((o) => o.source === 'upstream')).toHaveLength(1);
    expect(outcomes.filter((o) => o.source === 'coalesced')).toHaveLength(49);
    expect(new Set(outcomes.map((o) => o.result.text))).toEqual(new Set(['same answer']));
  });
});
