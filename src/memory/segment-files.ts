import { hashString } from './hash.js';

/** File names and magic numbers of a store directory. */
export const SEGMENT_MAGIC = 'SWMSEG01';
export const VECTOR_MAGIC = 'SWMVEC01';
export const FORMAT = 1;

const pad = (id: number) => String(id).padStart(6, '0');

export const segmentFileName = (id: number) => `seg-${pad(id)}.seg`;

/** Vectors are named after their embedder too, so re-embedding never overwrites what a reader has open. */
export const vectorFileName = (id: number, embedderId: string) =>
  `seg-${pad(id)}.${hashString(embedderId).toString(36)}.vec`;

export const hnswFileName = (id: number, embedderId: string) =>
  `seg-${pad(id)}.${hashString(embedderId).toString(36)}.hnsw`;

/** Vectors received so far for a segment from a remote embedder: fixed-size float32 records, appended. */
export const partialVectorFileName = (id: number, embedderId: string) =>
  `seg-${pad(id)}.${hashString(embedderId).toString(36)}.partial`;
