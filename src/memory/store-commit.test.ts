import { describe, expect, it } from 'vitest';
import type { Manifest } from './manifest.js';
import type { SealedSegment } from './segment-builder.js';
import type { SourceRecord } from './source-record.js';
import { applyChange } from './store-commit.js';

const record = (path: string, docStart: number, docEnd: number): SourceRecord => ({
  path,
  hash: `h-${path}`,
  size: 1,
  mtimeMs: 0,
  kind: 'text',
  source: 'files',
  tenant: 'default',
  docStart,
  docEnd,
  final: true,
});

const sources: Record<number, SourceRecord[]> = {
  1: [record('a', 0, 2), record('b', 2, 3)],
  2: [record('c', 0, 1)],
};

const manifest: Manifest = {
  format: 1,
  generation: 3,
  embedder: { type: 'hashed', dims: 64 },
  nextSegment: 3,
  segments: [
    { id: 1, file: 'seg-1', docs: 3, tokens: 30, bytes: 100, deleted: [], vectors: 'v1' },
    { id: 2, file: 'seg-2', docs: 1, tokens: 10, bytes: 50, deleted: [], vectors: 'v2' },
  ],
};

const sourcesOf = (id: number) => sources[id] ?? [];

describe('applyChange', () => {
  it('deletes source records and reports the versions no longer served', () => {
    const { next, removedSources } = applyChange(manifest, { forget: new Map([[1, [1]]]) }, sourcesOf);
    expect(next.generation).toBe(4);
    expect(next.segments[0]!.deleted).toEqual([1]);
    expect(removedSources).toEqual(['b#h-b']);
    expect(manifest.segments[0]!.deleted).toEqual([]);
  });

  it('drops a segment once every chunk in it is deleted', () => {
    const { next, droppedSegments } = applyChange(manifest, { forget: new Map([[2, [0]]]) }, sourcesOf);
    expect(next.segments.map((s) => s.id)).toEqual([1]);
    expect(droppedSegments.map((s) => s.id)).toEqual([2]);
  });

  it('carries deletions made during a merge over to its output', () => {
    const output: SealedSegment = {
      id: 3,
      file: 'seg-3',
      docs: 4,
      tokens: 40,
      bytes: 150,
      vectors: 'v3',
      sources: [record('a', 0, 2), record('b', 2, 3), record('c', 3, 4)],
    };
    // "b" (segment 1, record 1) was deleted after the merge read its inputs
    const during = applyChange(manifest, { forget: new Map([[1, [1]]]) }, sourcesOf).next;
    const { next } = applyChange(
      during,
      {
        merged: {
          inputs: [1, 2],
          output,
          origin: [
            [1, 0],
            [1, 1],
            [2, 0],
          ],
        },
      },
      (id) => (id === 3 ? output.sources : sourcesOf(id)),
    );
    expect(next.segments).toEqual([
      { id: 3, file: 'seg-3', docs: 4, tokens: 40, bytes: 150, deleted: [1], vectors: 'v3' },
    ]);
    expect(next.nextSegment).toBe(4);
  });
});
