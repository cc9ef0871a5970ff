import { z } from 'zod';
import { chunkOptionsSchema } from './chunk.js';
import { MemoryOptionError } from './errors.js';
import { embedderSpecSchema } from './manifest.js';

export const DEFAULT_DIMS = 2048;

export const memoryOptionsSchema = z.strictObject({
  /** The store directory, `.swarm/memory` by convention. */
  dir: z.string().min(1),
  /** Paths are stored relative to this directory (default: the current one). */
  root: z.string().min(1).optional(),
  /** Default: the store's own embedder, or the hashed one (2,048 dimensions) for a new store. */
  embedder: embedderSpecSchema.optional(),
  /** Bearer key for an http embedder; never stored. */
  apiKey: z.string().min(1).optional(),
  chunking: chunkOptionsSchema.prefault({}),
  /** Open for searching only: no lock, no background work, no writes. */
  readOnly: z.boolean().default(false),
  /** Replace the vectors of a store made with another embedder (in the background). */
  reembed: z.boolean().default(false),
  /** Merge segments, make missing vectors and build HNSW graphs in the background while open. */
  background: z.boolean().default(true),
  /** A segment is sealed after this many chunks (bounds the memory an ingest holds). */
  segmentChunks: z.number().int().min(1).max(1_000_000).default(8192),
  /** Segments of one size tier merged at a time (LSM). */
  mergeFactor: z.number().int().min(2).max(64).default(4),
  /** Segments with at least this many chunks get an HNSW graph (usearch) built in the background. */
  hnswMinChunks: z.number().int().min(1).default(50_000),
  /** Texts per request to an http embedder. */
  embedBatch: z.number().int().min(1).max(2048).default(64),
  /** Tuning of vector search (see vector-search.ts); the defaults keep recall@10 above 0.98. */
  vectorSearch: z
    .strictObject({
      candidates: z.number().int().positive().optional(),
      rerank: z.number().int().positive().optional(),
      maxColumns: z.number().int().positive().optional(),
      graphWorth: z.number().nonnegative().optional(),
      pruneAbove: z.number().nonnegative().optional(),
    })
    .optional(),
  retry: z
    .strictObject({
      attempts: z.number().int().min(1).max(10).default(4),
      baseDelayMs: z.number().int().nonnegative().default(500),
      maxDelayMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
});
export type MemoryOptionsInput = z.input<typeof memoryOptionsSchema>;
export type MemoryOptions = z.output<typeof memoryOptionsSchema>;

export function parseMemoryOptions(input: MemoryOptionsInput): MemoryOptions {
  const parsed = memoryOptionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new MemoryOptionError(
      'memory options',
      parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`),
    );
  }
  const embedder = parsed.data.embedder;
  if (embedder?.type === 'hashed' && !Number.isInteger(Math.log2(embedder.dims))) {
    throw new MemoryOptionError('memory options', [
      'embedder.dims: the hashed embedder needs a power of two',
    ]);
  }
  return parsed.data;
}
