import { join } from 'node:path';
import { HnswIndex } from './hnsw-index.js';
import type { Manifest, SegmentEntry } from './manifest.js';
import { Segment } from './segment.js';
import { SegmentVectors } from './vector-file.js';
import type { AnnIndex } from './vector-search.js';

/**
 * The segments a store has open, in manifest order, with their vectors and
 * graphs. A commit hands it the new manifest: new segments are opened,
 * changed ones updated in place, gone ones closed. The array is replaced,
 * never mutated, so a search that took it keeps a consistent snapshot.
 */
export class SegmentSet {
  segments: readonly Segment[] = [];
  readonly ann = new Map<Segment, AnnIndex>();

  constructor(
    private readonly dir: string,
    private readonly embedderId: () => string,
  ) {}

  open(manifest: Manifest): void {
    const opened: Segment[] = [];
    try {
      for (const entry of manifest.segments) opened.push(this.openSegment(entry));
    } catch (error) {
      for (const segment of opened) segment.close();
      throw error;
    }
    this.segments = opened;
    for (const entry of manifest.segments) if (entry.hnsw) this.attachGraph(entry.id, entry.hnsw);
  }

  /** Brings the open segments in line with a committed manifest. */
  reconcile(manifest: Manifest): void {
    const kept = new Map(this.segments.map((s) => [s.id, s]));
    const next: Segment[] = [];
    for (const entry of manifest.segments) {
      let segment = kept.get(entry.id);
      if (!segment) segment = this.openSegment(entry);
      else {
        if (segment.deleted.size !== entry.deleted.length) segment.setDeleted(entry.deleted);
        if (entry.vectors && !segment.vectors) segment.vectors = this.openVectors(entry);
      }
      kept.delete(entry.id);
      next.push(segment);
    }
    this.segments = next;
    for (const gone of kept.values()) {
      this.ann.delete(gone);
      gone.close();
    }
  }

  find(id: number): Segment | undefined {
    return this.segments.find((s) => s.id === id);
  }

  /** Memory-maps a segment's HNSW graph and uses it from the next search on. */
  attachGraph(id: number, file: string): void {
    const segment = this.find(id);
    if (segment?.vectors) this.ann.set(segment, HnswIndex.view(join(this.dir, file), segment.vectors.dims));
  }

  close(): void {
    for (const segment of this.segments) segment.close();
    this.segments = [];
    this.ann.clear();
  }

  private openSegment(entry: SegmentEntry): Segment {
    const segment = Segment.open(this.dir, entry);
    try {
      if (entry.vectors) segment.vectors = this.openVectors(entry);
    } catch (error) {
      segment.close();
      throw error;
    }
    return segment;
  }

  private openVectors(entry: SegmentEntry): SegmentVectors {
    return SegmentVectors.open(this.dir, entry.vectors!, this.embedderId(), entry.docs);
  }
}
