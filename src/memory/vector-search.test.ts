import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';

/**
 * Vector search against brute force over the same stored vectors: the
 * int8 path (short, sparse queries), the 1-bit path (long, dense ones) and
 * the HNSW path, each must find what exact search finds.
 */

const WORDS = Array.from({ length: 600 }, (_, i) => `w${(i * 7919) % 100_003}x${i % 37}`);
let root: string;
let store: MemoryStore;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function text(next: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(next() ** 2 * WORDS.length)]!).join(' ');
}

async function exactTop(query: string, k: number): Promise<string[]> {
  const q = await store.embedQuery(query);
  const scored: { id: string; score: number }[] = [];
  for (const batch of store.vectorBatches()) {
    batch.ids.forEach((id, i) => {
      let dot = 0;
      for (let d = 0; d < batch.dims; d++) dot += q[d]! * batch.rows[i * batch.dims + d]!;
      scored.push({ id, score: dot });
    });
  }
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((s) => s.id);
}

async function recall(queries: string[], index: 'scan' | 'graph', searcher = store): Promise<number> {
  let found = 0;
  for (const query of queries) {
    const exact = await exactTop(query, 10);
    const { hits } = await searcher.search({ query, mode: 'vector', k: 10, dedupe: 'off', index });
    found += hits.filter((h) => exact.includes(h.id)).length / exact.length;
  }
  return found / queries.length;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'swarm-vector-'));
  const next = random(9);
  store = await MemoryStore.open({
    dir: join(root, 'memory'),
    root,
    hnswMinChunks: 400,
    segmentChunks: 1000,
  });
  await store.ingestDocuments(
    Array.from({ length: 600 }, (_, i) => ({
      path: `docs/${i}.txt`,
      text: text(next, 60),
      kind: 'text' as const,
    })),
  );
  await store.idle();
}, 60_000);

afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('vector search', () => {
  const next = random(77);
  const short = Array.from({ length: 20 }, () => text(next, 4));
  const long = Array.from({ length: 20 }, () => text(next, 400));

  it('finds the exact top 10 for short queries (int8 path) and long ones (1-bit path)', async () => {
    expect(store.stats().hnswSegments).toBe(1);
    const nonzero = async (q: string) => (await store.embedQuery(q)).filter((v) => v !== 0).length;
    // the two paths are chosen by how much of the 2,048 dimensions a query uses
    expect(await nonzero(short[0]!)).toBeLessThan(2048 * 0.25);
    expect(await nonzero(long[0]!)).toBeGreaterThan(2048 * 0.25);
    expect(await recall(short, 'scan')).toBeGreaterThanOrEqual(0.97);
    expect(await recall(long, 'scan')).toBeGreaterThanOrEqual(0.97);
  });

  it('finds them when a big segment scans only the strongest dimensions of the query', async () => {
    // what a segment of hundreds of thousands of chunks does, forced here on a small one
    const pruned = await MemoryStore.open({
      dir: join(root, 'memory'),
      root,
      readOnly: true,
      vectorSearch: { pruneAbove: 0 },
    });
    try {
      expect(await recall(short, 'scan', pruned)).toBeGreaterThanOrEqual(0.97);
    } finally {
      await pruned.close();
    }
  });

  it('finds them through the HNSW graph built in the background', async () => {
    expect(await recall(short, 'graph')).toBeGreaterThanOrEqual(0.95);
    expect(await recall(long, 'graph')).toBeGreaterThanOrEqual(0.95);
  });
});
