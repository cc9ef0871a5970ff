import type { Segment } from './segment.js';
import type { SourceRecord } from './source-record.js';

/** Where a file's current version lives: one or more records (a streamed file spans segments). */
export interface CatalogEntry {
  path: string;
  hash: string;
  size: number;
  mtimeMs: number;
  /** True once the last part is stored; false while a streamed ingest is unfinished. */
  complete: boolean;
  /** Where to continue an unfinished streamed ingest. */
  resume: SourceRecord['resume'];
  locations: { segment: number; record: number }[];
  chunks: number;
}

/**
 * Every file in the store by path, rebuilt from the segments' source
 * records (deleted ones left out), so the store needs no separate catalog
 * file that could disagree with its segments.
 */
export class SourceCatalog {
  private readonly entries = new Map<string, CatalogEntry>();
  /** Records of older versions still live (a crash between writing a new version and its commit); to delete. */
  readonly stale: { segment: number; record: number }[] = [];

  static from(segments: readonly Segment[]): SourceCatalog {
    const catalog = new SourceCatalog();
    for (const segment of segments) {
      segment.sources.forEach((record, index) => {
        if (!segment.deleted.has(index)) catalog.add(segment.id, index, record);
      });
    }
    return catalog;
  }

  add(segment: number, index: number, record: SourceRecord): void {
    let entry = this.entries.get(record.path);
    if (!entry || entry.hash !== record.hash) {
      if (entry) this.stale.push(...entry.locations);
      entry = {
        path: record.path,
        hash: record.hash,
        size: record.size,
        mtimeMs: record.mtimeMs,
        complete: false,
        resume: undefined,
        locations: [],
        chunks: 0,
      };
      this.entries.set(record.path, entry);
    }
    entry.locations.push({ segment, record: index });
    entry.chunks += record.docEnd - record.docStart;
    if (record.final) {
      entry.complete = true;
      entry.resume = undefined;
    } else if (!entry.complete && record.resume && (entry.resume?.byte ?? -1) < record.resume.byte) {
      entry.resume = record.resume;
    }
  }

  get(path: string): CatalogEntry | undefined {
    return this.entries.get(path);
  }

  delete(path: string): void {
    this.entries.delete(path);
  }

  paths(): IterableIterator<string> {
    return this.entries.keys();
  }

  get size(): number {
    return this.entries.size;
  }
}
