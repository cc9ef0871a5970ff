import { z } from 'zod';
import { DOC_KINDS } from './chunk.js';
import { pathMatcher } from './path-glob.js';
import type { Segment } from './segment.js';
import type { SourceRecord } from './source-record.js';

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

export const searchFilterSchema = z.strictObject({
  /** Collection name(s) given at ingest. */
  source: oneOrMany(z.string().min(1)).optional(),
  /** Path glob: `src/**\/*.ts`, or `*.md` for a file name anywhere. */
  path: z.string().min(1).optional(),
  kind: oneOrMany(z.enum(DOC_KINDS)).optional(),
  tenant: z.string().min(1).optional(),
});
export type SearchFilter = z.infer<typeof searchFilterSchema>;

const list = <T>(value: T | T[] | undefined): T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/**
 * Which documents of a segment a search may return: live ones that pass the
 * filter. Evaluated per source record (not per chunk) and cached per
 * segment, so a filter costs one pass over a segment's files, and the
 * scoring loops skip excluded documents instead of filtering results after.
 */
export class FilterMasks {
  private readonly test: ((record: SourceRecord) => boolean) | undefined;
  private readonly cache = new WeakMap<
    Segment,
    { deleted: ReadonlySet<number>; mask: Uint8Array | undefined }
  >();

  constructor(filter: SearchFilter | undefined) {
    const sources = list(filter?.source);
    const kinds = list(filter?.kind);
    const tenant = filter?.tenant;
    const path = filter?.path === undefined ? undefined : pathMatcher(filter.path);
    const checks: ((record: SourceRecord) => boolean)[] = [];
    if (sources) checks.push((r) => sources.includes(r.source));
    if (kinds) checks.push((r) => (kinds as string[]).includes(r.kind));
    if (tenant !== undefined) checks.push((r) => r.tenant === tenant);
    if (path) checks.push((r) => path(r.path));
    this.test = checks.length === 0 ? undefined : (record) => checks.every((check) => check(record));
  }

  /** 1 for searchable documents; undefined when every document is. */
  mask(segment: Segment): Uint8Array | undefined {
    const cached = this.cache.get(segment);
    if (cached && cached.deleted === segment.deleted) return cached.mask;
    let mask = segment.live;
    if (this.test) {
      mask = new Uint8Array(segment.docs);
      segment.sources.forEach((record, index) => {
        if (!segment.deleted.has(index) && this.test!(record)) mask!.fill(1, record.docStart, record.docEnd);
      });
    }
    this.cache.set(segment, { deleted: segment.deleted, mask });
    return mask;
  }

  /** How many documents of the segment the mask lets through. */
  static allowed(segment: Segment, mask: Uint8Array | undefined): number {
    if (!mask) return segment.docs;
    if (mask === segment.live) return segment.liveDocs;
    let n = 0;
    for (let i = 0; i < mask.length; i++) n += mask[i]!;
    return n;
  }
}
