import type { BackgroundStatus } from '../background-work.js';

/** What changed in one commit; the response cache listens to invalidate answers built on removed sources. */
export interface MemoryChange {
  generation: number;
  /** Source versions (`path#hash`) no longer served: the file changed or was removed. */
  removedSources: string[];
  addedSources: string[];
  /** Segments whose content changed: merged away, emptied, or with chunks deleted. */
  changedSegments: number[];
}

export interface MemoryStats {
  dir: string;
  embedder: string;
  generation: number;
  files: number;
  segments: number;
  chunks: number;
  deletedChunks: number;
  tokens: number;
  diskBytes: number;
  memoryBytes: number;
  vectorChunks: number;
  hnswSegments: number;
  background: BackgroundStatus;
}

/** Frequencies are written at the end of every ingest and every this many seals in between. */
export const FREQUENCIES_EVERY = 16;
