/** A document found by one of the search paths, before its chunk is read. */
export interface ScoredDoc {
  /** Index of the segment in the list searched. */
  segment: number;
  doc: number;
  score: number;
}

const SEGMENT_STRIDE = 2 ** 32;

/** One number for a (segment, document) pair, for heaps and maps. */
export function docKey(segment: number, doc: number): number {
  return segment * SEGMENT_STRIDE + doc;
}

export function fromKey(key: number, score: number): ScoredDoc {
  return { segment: Math.floor(key / SEGMENT_STRIDE), doc: key % SEGMENT_STRIDE, score };
}
