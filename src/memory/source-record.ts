import { z } from 'zod';
import { DOC_KINDS } from './chunk.js';

/**
 * One file's chunks inside one segment. A file streamed across several
 * segments has one record per segment; `final` marks the last, and
 * `resume` says where the next part starts, so an interrupted ingest of a
 * huge file continues instead of starting over.
 */
export const sourceRecordSchema = z.strictObject({
  /** Relative to the store's root, `/`-separated. */
  path: z.string(),
  /** Content hash of the whole file. */
  hash: z.string(),
  size: z.number().nonnegative(),
  mtimeMs: z.number(),
  kind: z.enum(DOC_KINDS),
  language: z.string().optional(),
  /** A collection name given at ingest (`docs`, `runs`); `files` by default. */
  source: z.string(),
  tenant: z.string(),
  /** The record's chunks are documents `[docStart, docEnd)` of the segment. */
  docStart: z.number().int().nonnegative(),
  docEnd: z.number().int().nonnegative(),
  final: z.boolean(),
  resume: z
    .strictObject({ byte: z.number().nonnegative(), char: z.number().nonnegative(), line: z.number().int() })
    .optional(),
});
export type SourceRecord = z.infer<typeof sourceRecordSchema>;

/** Identifies a version of a source for cache invalidation: `path#hash`. */
export function sourceKey(path: string, hash: string): string {
  return `${path}#${hash}`;
}
