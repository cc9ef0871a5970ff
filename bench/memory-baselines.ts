/**
 * The side-by-side baselines of the scale benchmark, over the very vectors
 * Swarm stored: hnswlib-node (an HNSW graph built up front, then searched)
 * and sqlite-vec (exact search in SQLite's vec0 virtual table).
 */
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import * as sqliteVec from 'sqlite-vec';
import type { MemoryStore } from '../src/memory/index.js';
import { type Neighbour, percentile, recallAt } from './memory-exact.js';

export interface BaselineResult {
  buildMs?: number;
  loadMs?: number;
  p50Ms: number;
  p99Ms: number;
  recallAt10?: number;
  queries: number;
}

function collect(store: MemoryStore) {
  const ids: string[] = [];
  const rows: Float32Array[] = [];
  let dims = 0;
  for (const batch of store.vectorBatches()) {
    dims = batch.dims;
    batch.ids.forEach((id, i) => {
      ids.push(id);
      rows.push(batch.rows.slice(i * dims, (i + 1) * dims));
    });
  }
  return { ids, rows, dims };
}

export function hnswlibBaseline(
  store: MemoryStore,
  queries: Float32Array[],
  exact: Neighbour[][],
): BaselineResult {
  const { ids, rows, dims } = collect(store);
  const started = performance.now();
  const index = new hnswlib.HierarchicalNSW('cosine', dims);
  index.initIndex(rows.length, 16, 200);
  rows.forEach((row, label) => {
    index.addPoint(Array.from(row), label);
  });
  const buildMs = performance.now() - started;
  index.setEf(128);
  const times: number[] = [];
  let recall = 0;
  queries.forEach((query, i) => {
    const q = Array.from(query);
    const t = performance.now();
    const found = index.searchKnn(q, 10);
    times.push(performance.now() - t);
    recall += recallAt(
      found.neighbors.map((label) => ids[label]!),
      exact[i]!,
      10,
    );
  });
  times.sort((a, b) => a - b);
  return {
    buildMs,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    recallAt10: recall / queries.length,
    queries: queries.length,
  };
}

export function sqliteVecBaseline(store: MemoryStore, queries: Float32Array[]): BaselineResult {
  const { rows, dims } = collect(store);
  const db = new Database(':memory:');
  try {
    sqliteVec.load(db);
    const started = performance.now();
    db.exec(`CREATE VIRTUAL TABLE vectors USING vec0(embedding float[${dims}])`);
    const insert = db.prepare('INSERT INTO vectors(rowid, embedding) VALUES (?, ?)');
    db.transaction(() => {
      rows.forEach((row, i) => {
        insert.run(BigInt(i), Buffer.from(row.buffer, row.byteOffset, row.byteLength));
      });
    })();
    const loadMs = performance.now() - started;
    const knn = db.prepare('SELECT rowid, distance FROM vectors WHERE embedding MATCH ? AND k = 10');
    const times: number[] = [];
    for (const query of queries) {
      const t = performance.now();
      knn.all(Buffer.from(query.buffer, query.byteOffset, query.byteLength));
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { loadMs, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), queries: queries.length };
  } finally {
    db.close();
  }
}
