import { WEIGHT_SCALE } from './int8-kernel.js';
import { docKey, fromKey, type ScoredDoc } from './scored-hit.js';
import { FilterMasks } from './search-filter.js';
import type { Segment } from './segment.js';
import { TopK } from './top-k.js';
import { bitColumns } from './vector-codes.js';

export interface VectorSearchOptions {
  /** Candidates kept from the 1-bit scan of each segment, re-scored with int8. */
  candidates: number;
  /** Of those, how many are re-ranked with the exact float32 vectors. */
  rerank: number;
  /** Most sign-bit columns (8 dimensions each) a scan reads; the query's strongest come first. */
  maxColumns: number;
  /** Use a segment's HNSW graph when it has one (otherwise always scan). */
  useHnsw: boolean;
  /** Scan cost (query dimensions x documents) from which a segment's graph is used instead. */
  graphWorth: number;
  /** Scan cost from which a sparse query scans only its strongest dimensions (the rest re-score candidates). */
  pruneAbove: number;
}

/**
 * Multiply-adds of an int8 scan (query dimensions x documents) past which a
 * segment's graph is asked instead: about 5 ms of scan, what a graph search
 * of 2,048-dimension vectors with re-scoring costs (measured at 36k chunks).
 */
const GRAPH_WORTH = 10_000_000;

/**
 * Past this many multiply-adds (query dimensions x documents, about 2 ms of
 * scan) a segment is scanned on the dimensions holding PRUNED_ENERGY of the
 * query's weight; the candidates are then re-scored on all of them. Recall
 * measured at 36k chunks: 0.999 at 0.8 against 0.9997 exhaustive.
 */
const PRUNE_ABOVE = 4_000_000;
const PRUNED_ENERGY = 0.8;

export const DEFAULT_VECTOR_OPTIONS: VectorSearchOptions = {
  candidates: 1000,
  rerank: 64,
  maxColumns: 64,
  useHnsw: true,
  graphWorth: GRAPH_WORTH,
  pruneAbove: PRUNE_ABOVE,
};

/** How many times the finalists a graph is asked for: its int8 graph misorders near ties. */
const GRAPH_CANDIDATES = 4;

/** Below this share of allowed documents a filtered search scans instead of asking the graph. */
const HNSW_MIN_ALLOWED = 0.5;

/** Approximate nearest neighbours of a segment, built in the background for big segments. */
export interface AnnIndex {
  search(query: Float32Array, count: number): number[];
}

export interface VectorSearchResult {
  hits: ScoredDoc[];
  /** Documents whose vectors were searched, and those skipped because their vectors are not made yet. */
  searched: number;
  pending: number;
}

/**
 * Exact-quality vector search without an index. Per segment, a first pass
 * picks candidates: for a sparse query (every lexical one: a few dozen of
 * 2,048 dimensions) an int8 scan of just its dimensions; for a dense one
 * (a remote embedder's) an asymmetric scan of the 1-bit codes (the query
 * keeps its real values, each stored vector is only signs) over the columns
 * that carry its weight, re-scored with int8. The best candidates are then
 * re-ranked with the exact float32 vectors. Segments with an HNSW graph use
 * it instead, unless a filter excludes much of the segment. Scores are
 * cosines.
 */
export function vectorSearch(
  segments: readonly Segment[],
  ann: ReadonlyMap<Segment, AnnIndex>,
  query: Float32Array,
  k: number,
  masks: FilterMasks,
  options: VectorSearchOptions = DEFAULT_VECTOR_OPTIONS,
): VectorSearchResult {
  const top = new TopK(k);
  // a deep search (k in the hundreds) needs at least that many finalists per segment
  const depth = {
    ...options,
    rerank: Math.max(options.rerank, k),
    candidates: Math.max(options.candidates, k * 4),
  };
  const nonzero: number[] = [];
  for (let d = 0; d < query.length; d++) if (query[d] !== 0) nonzero.push(d);
  let searched = 0;
  let pending = 0;
  const exact = new Float32Array(query.length);
  segments.forEach((segment, index) => {
    const vectors = segment.vectors;
    const mask = masks.mask(segment);
    const allowed = FilterMasks.allowed(segment, mask);
    if (allowed === 0) return;
    if (!vectors || vectors.dims !== query.length) {
      pending += allowed;
      return;
    }
    searched += allowed;
    if (nonzero.length === 0) return;
    const graph = options.useHnsw ? ann.get(segment) : undefined;
    // the graph costs about the same whatever the query; the scan grows with dimensions x documents
    const useGraph =
      graph && allowed >= segment.docs * HNSW_MIN_ALLOWED && nonzero.length * allowed >= options.graphWorth;
    const finalists = useGraph
      ? fromGraph(segment, graph, query, nonzero, mask, depth)
      : finalistsOf(segment, query, nonzero, mask, depth);
    for (const doc of finalists) {
      vectors.exact(doc, exact);
      let score = 0;
      for (const d of nonzero) score += query[d]! * exact[d]!;
      if (score > top.threshold) top.push(score, docKey(index, doc));
    }
  });
  return { hits: top.sorted().map(({ id, score }) => fromKey(id, score)), searched, pending };
}

/** Candidates from the graph (a generous number: its int8 graph misorders near ties), re-scored with int8. */
function fromGraph(
  segment: Segment,
  graph: AnnIndex,
  query: Float32Array,
  nonzero: readonly number[],
  mask: Uint8Array | undefined,
  options: VectorSearchOptions,
): number[] {
  const wanted = Math.min(
    segment.docs,
    options.rerank * GRAPH_CANDIDATES + (segment.docs - segment.liveDocs),
  );
  const found = graph.search(query, wanted).filter((doc) => !mask || mask[doc] === 1);
  return rescore(segment, found, query, nonzero, options.rerank);
}

/** The best `count` of some candidates by their int8 dot product with the query (gathered per dimension). */
function rescore(
  segment: Segment,
  candidates: ArrayLike<number>,
  query: Float32Array,
  nonzero: readonly number[],
  count: number,
): number[] {
  const { int8, scale } = segment.vectors!.codes;
  const { codes, stride } = int8;
  const best = new TopK(count);
  for (let i = 0; i < candidates.length; i++) {
    const doc = candidates[i]!;
    let dot = 0;
    for (const d of nonzero) dot += query[d]! * codes[d * stride + doc]!;
    const score = dot * scale[doc]!;
    if (score > best.threshold) best.push(score, doc);
  }
  return Array.from(best.ids.subarray(0, best.size));
}

/** A query this sparse (share of non-zero dimensions) is scored on int8 directly; denser ones scan sign bits. */
const SPARSE_SHARE = 0.25;

/** The documents of a segment worth an exact (float32) look. */
function finalistsOf(
  segment: Segment,
  query: Float32Array,
  nonzero: readonly number[],
  mask: Uint8Array | undefined,
  options: VectorSearchOptions,
): number[] {
  const vectors = segment.vectors!;
  return nonzero.length <= vectors.dims * SPARSE_SHARE
    ? int8Scan(segment, query, nonzero, mask, options)
    : bitScan(segment, query, nonzero, mask, options);
}

/**
 * Every document's int8 dot product with a sparse query, reading only the
 * query's dimensions (each a contiguous row of the dimension-major codes):
 * as many multiply-adds as non-zero dimensions per document, and within
 * about 1% of the exact score, so the exact re-ranking rarely changes much.
 */
function int8Scan(
  segment: Segment,
  query: Float32Array,
  nonzero: readonly number[],
  mask: Uint8Array | undefined,
  options: VectorSearchOptions,
): number[] {
  const count = options.rerank;
  const { int8, scale } = segment.vectors!.codes;
  const n = segment.docs;
  // a big segment scans the dimensions that carry most of the query; a small one scans them all
  const share = nonzero.length * n > options.pruneAbove ? PRUNED_ENERGY : 1;
  const scanned = strongestDimensions(query, nonzero, share);
  let max = 0;
  for (const d of scanned) max = Math.max(max, Math.abs(query[d]!));
  const weights = scanned.map((d) => Math.round((query[d]! / max) * WEIGHT_SCALE));
  const scores = int8.scan(scanned, weights);
  const exhaustive = scanned.length === nonzero.length;
  const best = new TopK(exhaustive ? count : Math.max(count, options.candidates));
  for (let doc = 0; doc < n; doc++) {
    if (mask && mask[doc] === 0) continue;
    const score = scores[doc]! * scale[doc]!;
    if (score > best.threshold) best.push(score, doc);
  }
  const found = best.ids.subarray(0, best.size);
  // the weakest dimensions were left out of the scan: they still count when the candidates are re-scored
  return exhaustive ? Array.from(found) : rescore(segment, found, query, nonzero, count);
}

/** The query's dimensions by weight, strongest first, until `share` of its energy. */
function strongestDimensions(query: Float32Array, nonzero: readonly number[], share: number): number[] {
  if (share >= 1) return [...nonzero];
  const sorted = [...nonzero].sort((a, b) => Math.abs(query[b]!) - Math.abs(query[a]!));
  let total = 0;
  for (const d of sorted) total += query[d]! * query[d]!;
  const picked: number[] = [];
  let covered = 0;
  for (const d of sorted) {
    if (covered >= total * share) break;
    picked.push(d);
    covered += query[d]! * query[d]!;
  }
  return picked.length === nonzero.length ? [...nonzero] : picked;
}

/** The 1-bit scan (asymmetric: the query keeps its real values) and an int8 re-score of its best candidates. */
function bitScan(
  segment: Segment,
  query: Float32Array,
  nonzero: readonly number[],
  mask: Uint8Array | undefined,
  options: VectorSearchOptions,
): number[] {
  const { bits } = segment.vectors!.codes;
  const n = segment.docs;
  const columns = strongestColumns(query, options.maxColumns);
  const approx = new Float32Array(n);
  const table = new Float32Array(256);
  for (const column of columns) {
    fillTable(query, column, table);
    const base = column * n;
    for (let doc = 0; doc < n; doc++) approx[doc] = approx[doc]! + table[bits[base + doc]!]!;
  }
  const candidates = new TopK(options.candidates);
  for (let doc = 0; doc < n; doc++) {
    if (mask && mask[doc] === 0) continue;
    const score = approx[doc]!;
    if (score > candidates.threshold) candidates.push(score, doc);
  }
  return rescore(segment, candidates.ids.subarray(0, candidates.size), query, nonzero, options.rerank);
}

/** Columns (groups of 8 dimensions) by the query's weight in them, strongest first, until 99.9% or the cap. */
function strongestColumns(query: Float32Array, max: number): number[] {
  const count = bitColumns(query.length);
  const energy = new Float64Array(count);
  let total = 0;
  for (let d = 0; d < query.length; d++) {
    const e = query[d]! * query[d]!;
    energy[d >> 3] = energy[d >> 3]! + e;
    total += e;
  }
  const order = Array.from({ length: count }, (_, c) => c)
    .filter((c) => energy[c]! > 0)
    .sort((a, b) => energy[b]! - energy[a]!);
  const picked: number[] = [];
  let covered = 0;
  for (const c of order) {
    if (picked.length >= max || covered >= total * 0.999) break;
    picked.push(c);
    covered += energy[c]!;
  }
  return picked.sort((a, b) => a - b);
}

/** `table[byte]` = the query's dot product with the ±1 vector those 8 sign bits stand for. */
function fillTable(query: Float32Array, column: number, table: Float32Array) {
  const base = column * 8;
  const width = Math.min(8, query.length - base);
  let negative = 0;
  for (let k = 0; k < width; k++) negative -= query[base + k]!;
  table[0] = negative;
  for (let byte = 1; byte < 256; byte++) {
    const low = byte & -byte;
    const k = 31 - Math.clz32(low);
    table[byte] = table[byte ^ low]! + (k < width ? 2 * query[base + k]! : 0);
  }
}
