import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file.js';
import { MemoryCorruptError } from './errors.js';
import { FORMAT } from './segment-files.js';

export const MANIFEST = 'manifest.json';

/** Which embedder made a store's vectors; part of the manifest so a store is never searched with the wrong one. */
export const embedderSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hashed'), dims: z.number().int().min(64).max(16384) }),
  z.strictObject({
    type: z.literal('http'),
    model: z.string().min(1),
    baseURL: z.url(),
    /** Asked of the endpoint (OpenAI `dimensions`); otherwise learnt from the first answer. */
    dims: z.number().int().positive().optional(),
  }),
]);
export type EmbedderSpec = z.infer<typeof embedderSpecSchema>;

export function embedderId(spec: EmbedderSpec): string {
  return spec.type === 'hashed'
    ? `hashed:${spec.dims}`
    : `http:${spec.model}@${spec.baseURL}${spec.dims ? `:${spec.dims}` : ''}`;
}

const segmentEntrySchema = z.strictObject({
  id: z.number().int().nonnegative(),
  file: z.string(),
  docs: z.number().int().nonnegative(),
  tokens: z.number().nonnegative(),
  bytes: z.number().nonnegative(),
  /** Indexes of the segment's source records whose file changed or went away since. */
  deleted: z.array(z.number().int().nonnegative()),
  /** Vector file for the manifest's embedder, once complete. */
  vectors: z.string().optional(),
  /** HNSW graph over those vectors, for big segments, once built. */
  hnsw: z.string().optional(),
});
export type SegmentEntry = z.infer<typeof segmentEntrySchema>;

export const manifestSchema = z.strictObject({
  format: z.literal(FORMAT),
  generation: z.number().int().nonnegative(),
  embedder: embedderSpecSchema,
  nextSegment: z.number().int().nonnegative(),
  /** The hashed embedder's feature frequencies and the segments counted in them. */
  frequencies: z.strictObject({ file: z.string(), segments: z.array(z.number().int()) }).optional(),
  segments: z.array(segmentEntrySchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function readManifest(dir: string): Manifest | undefined {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MemoryCorruptError(file, error instanceof Error ? error.message : String(error));
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new MemoryCorruptError(file, detail);
  }
  return parsed.data;
}

/** The commit point: once this rename lands, readers see the new state; before, the old one. */
export function writeManifest(dir: string, manifest: Manifest): void {
  writeFileAtomic(join(dir, MANIFEST), [Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`, 'utf8')]);
}

/** Changes with every commit of the store in `dir` (undefined when there is none): cheaper than reading the manifest. */
export function storeVersion(dir: string): string | undefined {
  const info = statSync(join(dir, MANIFEST), { throwIfNoEntry: false });
  return info ? `${info.mtimeMs}:${info.size}:${info.ino}` : undefined;
}
