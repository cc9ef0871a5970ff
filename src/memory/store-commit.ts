import type { Manifest, SegmentEntry } from './manifest.js';
import type { SealedSegment } from './segment-builder.js';
import { type SourceRecord, sourceKey } from './source-record.js';

/** One change to the store, applied to the manifest in one atomic commit. */
export interface StoreChange {
  /** A segment sealed by ingest. */
  sealed?: SealedSegment;
  /** Source records to delete: `segment id -> record indexes`. */
  forget?: ReadonlyMap<number, readonly number[]>;
  /** A merge: the inputs are replaced by the output; `origin[j]` names input and record of output record `j`. */
  merged?: { inputs: readonly number[]; output: SealedSegment; origin: readonly [number, number][] };
  /** Vectors (for the manifest's embedder) now complete for a segment. */
  vectors?: { segment: number; file: string };
  hnsw?: { segment: number; file: string };
  frequencies?: { file: string; segments: number[] };
}

export interface AppliedChange {
  next: Manifest;
  /** Source versions (`path#hash`) no longer served. */
  removedSources: string[];
  addedSources: string[];
  /** Segments gone from the manifest (merged away, or every chunk deleted). */
  droppedSegments: SegmentEntry[];
}

/**
 * Computes the next manifest from the current one and a change, without
 * touching disk: the caller writes it (the commit point) and then updates
 * what it holds in memory. Deletions that reached a merge's inputs while
 * the merge ran are carried over to its output, so none is lost.
 */
export function applyChange(
  current: Manifest,
  change: StoreChange,
  sourcesOf: (segment: number) => readonly SourceRecord[],
): AppliedChange {
  const next: Manifest = structuredClone(current);
  next.generation++;
  const removedSources: string[] = [];
  const addedSources: string[] = [];
  const droppedSegments: SegmentEntry[] = [];

  for (const [id, records] of change.forget ?? []) {
    const entry = next.segments.find((s) => s.id === id);
    if (!entry) continue;
    const deleted = new Set(entry.deleted);
    const sources = sourcesOf(id);
    for (const record of records) {
      if (deleted.has(record)) continue;
      deleted.add(record);
      const source = sources[record];
      if (source) removedSources.push(sourceKey(source.path, source.hash));
    }
    entry.deleted = [...deleted].sort((a, b) => a - b);
  }

  if (change.merged) {
    const { inputs, output, origin } = change.merged;
    const carried: number[] = [];
    origin.forEach(([segment, record], index) => {
      if (next.segments.find((s) => s.id === segment)?.deleted.includes(record)) carried.push(index);
    });
    const at = next.segments.findIndex((s) => inputs.includes(s.id));
    droppedSegments.push(...next.segments.filter((s) => inputs.includes(s.id)));
    next.segments = next.segments.filter((s) => !inputs.includes(s.id));
    next.segments.splice(at < 0 ? next.segments.length : at, 0, entryOf(output, carried));
    next.nextSegment = Math.max(next.nextSegment, output.id + 1);
    if (next.frequencies && inputs.every((id) => next.frequencies!.segments.includes(id))) {
      next.frequencies.segments = [
        ...next.frequencies.segments.filter((id) => !inputs.includes(id)),
        output.id,
      ];
    }
  }

  if (change.sealed) {
    next.segments.push(entryOf(change.sealed, []));
    next.nextSegment = Math.max(next.nextSegment, change.sealed.id + 1);
    for (const record of change.sealed.sources) addedSources.push(sourceKey(record.path, record.hash));
  }
  if (change.vectors) {
    const entry = next.segments.find((s) => s.id === change.vectors!.segment);
    if (entry) entry.vectors = change.vectors.file;
  }
  if (change.hnsw) {
    const entry = next.segments.find((s) => s.id === change.hnsw!.segment);
    if (entry) entry.hnsw = change.hnsw.file;
  }
  if (change.frequencies) next.frequencies = change.frequencies;

  // a segment whose every chunk is deleted serves nothing: drop it
  for (const entry of [...next.segments]) {
    const sources = sourcesOf(entry.id);
    const empty =
      entry.deleted.length > 0 &&
      sources.every((record, index) => entry.deleted.includes(index) || record.docEnd === record.docStart);
    if (empty) {
      droppedSegments.push(entry);
      next.segments = next.segments.filter((s) => s !== entry);
    }
  }
  return { next, removedSources, addedSources: [...new Set(addedSources)], droppedSegments };
}

function entryOf(sealed: SealedSegment, deleted: number[]): SegmentEntry {
  return {
    id: sealed.id,
    file: sealed.file,
    docs: sealed.docs,
    tokens: sealed.tokens,
    bytes: sealed.bytes,
    deleted,
    ...(sealed.vectors ? { vectors: sealed.vectors } : {}),
  };
}
