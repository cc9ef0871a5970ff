import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { indexedText } from './chunk.js';
import { DocumentFrequencies } from './document-frequencies.js';
import { EmbedderMismatchError, MemoryCorruptError } from './errors.js';
import { type EmbedderSpec, embedderId, type Manifest, readManifest } from './manifest.js';
import { DEFAULT_DIMS, type MemoryOptions } from './memory-options.js';
import type { Segment } from './segment.js';
import { FORMAT } from './segment-files.js';
import { TextFeatures } from './text-features.js';

/**
 * The manifest to open with: the stored one, a new one, or the stored one
 * switched to another embedder (an empty store, or `reembed`: its vectors
 * are dropped and made again in the background).
 */
export function prepareManifest(dir: string, options: MemoryOptions, writable: boolean): Manifest {
  const found = readManifest(dir);
  const requested: EmbedderSpec | undefined = options.embedder;
  if (!found) {
    return {
      format: FORMAT,
      generation: 0,
      embedder: requested ?? { type: 'hashed', dims: DEFAULT_DIMS },
      nextSegment: 1,
      segments: [],
    };
  }
  if (!requested || embedderId(requested) === embedderId(found.embedder)) return found;
  if (found.segments.length > 0 && (!options.reembed || !writable)) {
    throw new EmbedderMismatchError(dir, embedderId(found.embedder), embedderId(requested));
  }
  const { frequencies: _dropped, ...rest } = found;
  return {
    ...rest,
    embedder: requested,
    segments: found.segments.map(({ vectors: _v, hnsw: _h, ...entry }) => entry),
  };
}

export function loadFrequencies(dir: string, manifest: Manifest): DocumentFrequencies {
  const file = manifest.frequencies?.file;
  if (!file) return new DocumentFrequencies();
  const path = join(dir, file);
  try {
    return DocumentFrequencies.deserialize(path, readFileSync(path));
  } catch (error) {
    if (error instanceof MemoryCorruptError) throw error;
    throw new MemoryCorruptError(path, error instanceof Error ? error.message : String(error));
  }
}

/** Writes the table under a name of the generation that will refer to it; returns the name. */
export function writeFrequencies(dir: string, df: DocumentFrequencies, generation: number): string {
  const file = `frequencies-${generation}.bin`;
  writeFileAtomic(join(dir, file), df.serialize());
  return file;
}

/** Counts the features of segments the stored table does not cover (sealed after it was written). */
export function countFrequencies(segments: readonly Segment[], df: DocumentFrequencies): void {
  const features = new TextFeatures();
  for (const segment of segments) {
    for (let doc = 0; doc < segment.docs; doc++) {
      const chunk = segment.chunk(doc);
      const f = features.analyse(indexedText(chunk.path, chunk.symbol, chunk.text));
      df.addDocument(f.keys, f.size);
    }
  }
}

/** Deletes files of a store that its manifest does not name (left by a crash or by merges). */
export function collectGarbage(dir: string, manifest: Manifest): void {
  const keep = new Set<string>(['manifest.json', 'LOCK']);
  for (const entry of manifest.segments) {
    keep.add(entry.file);
    if (entry.vectors) keep.add(entry.vectors);
    if (entry.hnsw) keep.add(entry.hnsw);
  }
  if (manifest.frequencies) keep.add(manifest.frequencies.file);
  const liveIds = new Set(manifest.segments.map((s) => s.id));
  for (const name of readdirSync(dir)) {
    if (keep.has(name)) continue;
    // progress of a remote embedder on a live segment is kept: embedding resumes from it
    const partial = /^seg-(\d+)\..*\.partial$/.exec(name);
    if (partial && liveIds.has(Number(partial[1]))) continue;
    if (/^(seg-|frequencies-|manifest\.json\.tmp)/.test(name)) rmSync(join(dir, name), { force: true });
  }
}

export function deleteSegmentFiles(dir: string, id: number): void {
  const prefix = `seg-${String(id).padStart(6, '0')}.`;
  for (const name of readdirSync(dir)) if (name.startsWith(prefix)) rmSync(join(dir, name), { force: true });
}
