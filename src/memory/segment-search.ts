import { bm25Search } from './bm25.js';
import { reciprocalRankFusion } from './fusion.js';
import type { ScoredDoc } from './scored-hit.js';
import { FilterMasks } from './search-filter.js';
import type { SearchHit, SearchRequest, SearchResult } from './search-request.js';
import type { Segment } from './segment.js';
import { hamming64 } from './simhash.js';
import {
  type AnnIndex,
  DEFAULT_VECTOR_OPTIONS,
  type VectorSearchOptions,
  vectorSearch,
} from './vector-search.js';

/** The segments a search sees: taken once, so a commit during the search does not change them under it. */
export interface SearchSnapshot {
  segments: readonly Segment[];
  ann: ReadonlyMap<Segment, AnnIndex>;
}

/** How deep each path is read before fusion: enough that RRF sees what either path ranks well. */
const FUSION_DEPTH = 100;
const NEAR_DUPLICATE_BITS = 3;

/**
 * Runs one search over a snapshot: BM25, vector or both fused by RRF, with
 * the filter applied inside each path, repeated chunks dropped, and the
 * survivors read from disk. Synchronous: everything async (embedding the
 * query) happened before.
 */
export function searchSnapshot(
  snapshot: SearchSnapshot,
  request: SearchRequest,
  terms: readonly number[],
  vector: Float32Array | undefined,
  vectorOptions: VectorSearchOptions = DEFAULT_VECTOR_OPTIONS,
): Omit<SearchResult, 'query' | 'tookMs'> {
  const { segments } = snapshot;
  const chunks = segments.reduce((sum, s) => sum + s.liveDocs, 0);
  const masks = new FilterMasks(request.filter);
  const spare = request.dedupe === 'off' ? 0 : Math.min(request.k, 20);
  const want = request.k + spare;
  const depth = request.mode === 'hybrid' ? Math.max(want, FUSION_DEPTH) : want;
  const lexical = request.mode === 'vector' ? [] : bm25Search(segments, terms, depth, masks);
  const dense =
    request.mode === 'bm25' || !vector
      ? { hits: [] as ScoredDoc[], searched: 0, pending: 0 }
      : vectorSearch(segments, snapshot.ann, vector, depth, masks, {
          ...vectorOptions,
          useHnsw: vectorOptions.useHnsw && request.index !== 'scan',
          graphWorth: request.index === 'graph' ? 0 : vectorOptions.graphWorth,
        });
  const result = { mode: request.mode, chunks, pendingVectors: dense.pending };

  let ranked: (ScoredDoc & { bm25Rank?: number; vectorRank?: number })[];
  if (request.mode === 'hybrid') {
    ranked = reciprocalRankFusion([lexical, dense.hits], depth).map((hit) => ({
      ...hit,
      ...(hit.ranks[0] === undefined ? {} : { bm25Rank: hit.ranks[0] }),
      ...(hit.ranks[1] === undefined ? {} : { vectorRank: hit.ranks[1] }),
    }));
  } else ranked = request.mode === 'bm25' ? lexical : dense.hits;

  const hits = dedupe(snapshot, ranked, request).slice(0, request.k);
  const notice = explain(request, chunks, terms.length, vector, dense.pending, hits.length);
  return { ...result, hits, ...(notice ? { notice } : {}) };
}

function dedupe(
  snapshot: SearchSnapshot,
  ranked: readonly (ScoredDoc & { bm25Rank?: number; vectorRank?: number })[],
  request: SearchRequest,
): SearchHit[] {
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  const kept: { hi: number; lo: number }[] = [];
  for (const item of ranked) {
    if (hits.length >= request.k) break;
    const segment = snapshot.segments[item.segment]!;
    const chunk = segment.chunk(item.doc);
    if (request.dedupe !== 'off') {
      if (seen.has(chunk.hash)) continue;
      seen.add(chunk.hash);
    }
    if (request.dedupe === 'near') {
      const hi = segment.simhash[item.doc * 2]!;
      const lo = segment.simhash[item.doc * 2 + 1]!;
      if (kept.some((k) => hamming64(k.hi, k.lo, hi, lo) <= NEAR_DUPLICATE_BITS)) continue;
      kept.push({ hi, lo });
    }
    hits.push({
      ...chunk,
      rank: hits.length + 1,
      score: item.score,
      ...(item.bm25Rank === undefined ? {} : { bm25Rank: item.bm25Rank }),
      ...(item.vectorRank === undefined ? {} : { vectorRank: item.vectorRank }),
    });
  }
  return hits;
}

function explain(
  request: SearchRequest,
  chunks: number,
  terms: number,
  vector: Float32Array | undefined,
  pending: number,
  found: number,
): string | undefined {
  if (chunks === 0) return 'the memory is empty: add files with `swarm memory ingest <paths...>`';
  const lexicalOnly = request.mode === 'bm25' || !vector || vector.every((v) => v === 0);
  if (terms === 0 && lexicalOnly) {
    return request.query.trim() === ''
      ? 'the query is empty'
      : 'the query has only stop words (like "the", "of", "what"): add a word that names what you are looking for';
  }
  if (pending > 0 && request.mode !== 'bm25') {
    return `${pending} of ${chunks} chunks have no vectors yet (embedding in progress); they were searched by words only`;
  }
  if (found === 0) return 'nothing matched';
  return undefined;
}
