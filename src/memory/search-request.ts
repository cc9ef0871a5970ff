import { z } from 'zod';
import { MemoryOptionError } from './errors.js';
import { searchFilterSchema } from './search-filter.js';
import type { ChunkRecord } from './segment.js';

export const SEARCH_MODES = ['hybrid', 'bm25', 'vector'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export const searchRequestSchema = z.strictObject({
  query: z.string(),
  k: z.number().int().min(1).max(1000).default(10),
  mode: z.enum(SEARCH_MODES).default('hybrid'),
  filter: searchFilterSchema.optional(),
  /** `exact` drops repeated chunks (same text), `near` also near-duplicates (SimHash within 3 bits). */
  dedupe: z.enum(['off', 'exact', 'near']).default('exact'),
  /**
   * How vectors are searched where a segment has an HNSW graph: `auto` picks the graph when a scan
   * would cost more, `scan` never uses it, `graph` always does.
   */
  index: z.enum(['auto', 'scan', 'graph']).default('auto'),
});
export type SearchRequestInput = z.input<typeof searchRequestSchema>;
export type SearchRequest = z.output<typeof searchRequestSchema>;

export interface SearchHit extends ChunkRecord {
  /** 1-based. */
  rank: number;
  /** BM25 score, cosine, or fused RRF score, by mode. */
  score: number;
  /** Rank in each path a hybrid search fused. */
  bm25Rank?: number;
  vectorRank?: number;
}

export interface SearchResult {
  query: string;
  mode: SearchMode;
  hits: SearchHit[];
  /** Why the result is empty or partial, in words a user can act on. */
  notice?: string;
  /** Live chunks in the store, and those a vector search could not cover yet (embeddings pending). */
  chunks: number;
  pendingVectors: number;
  tookMs: number;
}

export function parseSearchRequest(input: SearchRequestInput): SearchRequest {
  const parsed = searchRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new MemoryOptionError(
      'search',
      parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`),
    );
  }
  return parsed.data;
}
