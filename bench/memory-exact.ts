/**
 * Ground truth for the scale benchmark: exact top-k by cosine over every
 * stored vector (usearch's brute-force `exactSearch`, float32, no index),
 * and sampled queries drawn from the corpus itself.
 */
import { readFileSync } from 'node:fs';
import usearch from 'usearch';
import type { MemoryStore } from '../src/memory/index.js';

export interface Neighbour {
  id: string;
  score: number;
}

/** Exact top-k per query over all live vectors of the store, batch by batch, merged. */
export function exactNeighbours(store: MemoryStore, queries: Float32Array[], k: number): Neighbour[][] {
  const best: Neighbour[][] = queries.map(() => []);
  if (queries.length === 0) return best;
  const dims = queries[0]!.length;
  const matrix = new Float32Array(queries.length * dims);
  queries.forEach((q, i) => {
    matrix.set(q, i * dims);
  });
  for (const batch of store.vectorBatches()) {
    if (batch.ids.length === 0) continue;
    const count = Math.min(k, batch.ids.length);
    const found = usearch.exactSearch(batch.rows, matrix, dims, count, usearch.MetricKind.IP, 0);
    const keys = found.keys;
    const distances = found.distances;
    for (let q = 0; q < queries.length; q++) {
      for (let j = 0; j < count; j++) {
        const key = keys[q * count + j];
        if (key === undefined) continue;
        // usearch's inner-product distance is 1 - dot
        best[q]!.push({ id: batch.ids[Number(key)]!, score: 1 - distances[q * count + j]! });
      }
      best[q]!.sort((a, b) => b.score - a.score);
      best[q]!.length = Math.min(best[q]!.length, k);
    }
  }
  return best;
}

/** Share of the exact top-k found by a search's top-k (ties at the cut count as found). */
export function recallAt(found: readonly string[], exact: readonly Neighbour[], k: number): number {
  const truth = exact.slice(0, k);
  if (truth.length === 0) return 1;
  const cut = truth.at(-1)!.score;
  const ties = new Set(exact.filter((n) => n.score >= cut - 1e-6).map((n) => n.id));
  const hits = found.slice(0, k).filter((id) => ties.has(id)).length;
  return Math.min(1, hits / truth.length);
}

/** A small deterministic PRNG (mulberry32), so every run samples the same queries. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` queries of 4 to 12 consecutive words, each from a random place of a random corpus file. */
export function sampleQueries(files: readonly string[], count: number, seed = 42): string[] {
  const next = prng(seed);
  const queries: string[] = [];
  while (queries.length < count) {
    const text = readFileSync(files[Math.floor(next() * files.length)]!, 'utf8');
    const words = text.match(/[A-Za-z_][A-Za-z0-9_]{2,}/g) ?? [];
    if (words.length < 12) continue;
    const length = 4 + Math.floor(next() * 9);
    const at = Math.floor(next() * (words.length - length));
    queries.push(words.slice(at, at + length).join(' '));
  }
  return queries;
}

export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
