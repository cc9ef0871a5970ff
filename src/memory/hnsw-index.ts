import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import usearch from 'usearch';
import { syncDirectory } from './atomic-file.js';
import type { SegmentEntry } from './manifest.js';
import { hnswFileName } from './segment-files.js';
import { SegmentVectors } from './vector-file.js';
import type { AnnIndex } from './vector-search.js';

const CONNECTIVITY = 16;
const EXPANSION_ADD = 128;
/** Candidates explored per query; exact re-ranking of the answers follows, so recall matters more than order. */
const EXPANSION_SEARCH = 128;
const BATCH = 4096;

function newIndex(dims: number) {
  return new usearch.Index({
    dimensions: dims,
    metric: usearch.MetricKind.Cos,
    quantization: usearch.ScalarKind.I8,
    connectivity: CONNECTIVITY,
    expansion_add: EXPANSION_ADD,
    expansion_search: EXPANSION_SEARCH,
    multi: false,
  });
}

/**
 * Builds an HNSW graph (usearch, int8) over a segment's vectors and saves
 * it beside them. Minutes for a big segment, so it runs in the worker
 * thread; the file appears by rename only when complete.
 */
export function buildHnsw(dir: string, entry: SegmentEntry, embedderId: string): string {
  const vectors = SegmentVectors.open(dir, entry.vectors!, embedderId, entry.docs);
  const file = hnswFileName(entry.id, embedderId);
  const path = join(dir, file);
  const temp = `${path}.tmp-${process.pid}`;
  try {
    const index = newIndex(vectors.dims);
    for (let from = 0; from < entry.docs; from += BATCH) {
      const to = Math.min(entry.docs, from + BATCH);
      const keys = new BigUint64Array(to - from);
      for (let i = 0; i < keys.length; i++) keys[i] = BigInt(from + i);
      index.add(keys, vectors.rows(from, to), 1);
    }
    index.save(temp);
    renameSync(temp, path);
    syncDirectory(dir);
    return file;
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  } finally {
    vectors.close();
  }
}

/** A saved graph, memory-mapped (usearch `view`): opening costs nothing, pages load as queries touch them. */
export class HnswIndex implements AnnIndex {
  private constructor(private readonly index: InstanceType<typeof usearch.Index>) {}

  static view(path: string, dims: number): HnswIndex {
    const index = newIndex(dims);
    index.view(path);
    return new HnswIndex(index);
  }

  search(query: Float32Array, count: number): number[] {
    const found = this.index.search(query, Math.min(count, this.index.size()), 1);
    return Array.from(found.keys, (key) => Number(key));
  }
}
