import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbedderMismatchError, MemoryLockedError } from './errors.js';
import { type MemoryChange, MemoryStore } from './memory-store.js';

let root: string;
let dir: string;
const stores: MemoryStore[] = [];

function write(path: string, text: string | Buffer) {
  const abs = join(root, path);
  mkdirSync(join(abs, '..'), { recursive: true });
  writeFileSync(abs, text);
}

async function open(extra: Parameters<typeof MemoryStore.open>[0] | object = {}) {
  const store = await MemoryStore.open({ dir, root, background: false, ...extra });
  stores.push(store);
  return store;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'swarm-memory-'));
  dir = join(root, '.swarm', 'memory');
  write(
    'docs/wings.md',
    '# Wings\n\nThe lift of a swept wing at transonic speed.\n\n## Flutter\n\nPanel flutter in supersonic flow.\n',
  );
  write('docs/heat.txt', 'Heat transfer in a laminar boundary layer with suction.\n');
  write('src/ledger.ts', 'export function reserveBudget(tokens: number) {\n  return tokens * 2;\n}\n');
});

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('MemoryStore', () => {
  it('finds chunks by words, by vector and by both, with where they are', async () => {
    const store = await open();
    const report = await store.ingest([join(root, 'docs'), join(root, 'src')]);
    expect(report).toMatchObject({ files: 3, changed: 3, skipped: 0 });
    for (const mode of ['bm25', 'vector', 'hybrid'] as const) {
      const { hits } = await store.search({ query: 'supersonic panel flutter', mode, k: 3 });
      expect(hits[0], mode).toMatchObject({ path: 'docs/wings.md', kind: 'markdown', symbol: 'Wings' });
      expect(hits[0]!.text).toContain('Panel flutter');
    }
    const code = await store.search({ query: 'reserve budget tokens', k: 1 });
    expect(code.hits[0]).toMatchObject({
      path: 'src/ledger.ts',
      kind: 'code',
      language: 'typescript',
      startLine: 1,
    });
  });

  it('does no work for unchanged files and replaces a changed one in one commit', async () => {
    const store = await open();
    await store.ingest([root]);
    const generation = store.stats().generation;
    const again = await store.ingest([root]);
    expect(again).toMatchObject({ changed: 0, unchanged: 3, chunks: 0 });
    expect(store.stats().generation).toBe(generation);

    const changes: MemoryChange[] = [];
    store.onChange((change) => changes.push(change));
    write('docs/heat.txt', 'Radiative cooling of a blunt body at hypersonic speed.\n');
    await store.ingest([root]);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.removedSources).toEqual([expect.stringMatching(/^docs\/heat\.txt#/)]);
    expect((await store.search({ query: 'laminar suction', mode: 'bm25' })).hits).toEqual([]);
    expect((await store.search({ query: 'radiative cooling' })).hits[0]?.path).toBe('docs/heat.txt');
    expect(store.stats()).toMatchObject({ files: 3, deletedChunks: 1 });
  });

  it('applies filters inside the search: path glob, kind, source, tenant', async () => {
    const store = await open();
    await store.ingest([join(root, 'docs')], { source: 'docs', tenant: 'acme' });
    await store.ingest([join(root, 'src')], { source: 'code' });
    const query = 'swept wing lift heat transfer reserve budget';
    const paths = async (filter: object) =>
      (await store.search({ query, k: 10, filter })).hits.map((h) => h.path).sort();
    expect(await paths({ path: '*.ts' })).toEqual(['src/ledger.ts']);
    expect(await paths({ path: 'docs/**' })).toEqual(['docs/heat.txt', 'docs/wings.md']);
    expect(await paths({ kind: 'markdown' })).toEqual(['docs/wings.md']);
    expect(await paths({ source: 'code' })).toEqual(['src/ledger.ts']);
    expect(await paths({ tenant: 'acme', kind: ['text', 'code'] })).toEqual(['docs/heat.txt']);
  });

  it('skips binary files and files that are not UTF-8, saying why', async () => {
    write('bin/blob.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    write('bin/latin1.txt', Buffer.from('caf\xe9 cr\xe8me', 'latin1'));
    const store = await open();
    const report = await store.ingest([join(root, 'bin')]);
    expect(report.skippedFiles).toEqual([
      { path: 'bin/blob.bin', reason: 'binary (NUL byte)' },
      { path: 'bin/latin1.txt', reason: 'not valid UTF-8' },
    ]);
    expect(store.stats().chunks).toBe(0);
  });

  it('says why nothing was found: an empty memory, a query of stop words', async () => {
    const store = await open();
    expect((await store.search({ query: 'wing' })).notice).toMatch(/memory is empty/);
    await store.ingest([root]);
    const stop = await store.search({ query: 'what is the of' });
    expect(stop.hits).toEqual([]);
    expect(stop.notice).toMatch(/only stop words/);
  });

  it('removes files, and prunes files gone from a directory', async () => {
    const store = await open();
    await store.ingest([root]);
    expect(await store.remove(['docs/heat.txt'])).toBe(1);
    rmSync(join(root, 'src'), { recursive: true });
    const report = await store.ingest([root], { prune: true });
    expect(report.removed).toBe(1);
    // heat.txt is still on disk, so walking the root brings it back
    expect(store.stats().files).toBe(2);
    expect((await store.search({ query: 'reserve budget', mode: 'bm25' })).hits).toEqual([]);
  });

  it('serves a reader while a writer holds the lock, and refuses a second writer', async () => {
    const writer = await open();
    await writer.ingest([root]);
    await expect(MemoryStore.open({ dir, root })).rejects.toBeInstanceOf(MemoryLockedError);
    const reader = await open({ readOnly: true });
    expect((await reader.search({ query: 'flutter' })).hits[0]?.path).toBe('docs/wings.md');
  });

  it('refuses to mix embedders unless asked to re-embed', async () => {
    const store = await open();
    await store.ingest([root]);
    await store.close();
    await expect(open({ embedder: { type: 'hashed', dims: 1024 } })).rejects.toBeInstanceOf(
      EmbedderMismatchError,
    );
    const reembedded = await open({
      embedder: { type: 'hashed', dims: 1024 },
      reembed: true,
      background: true,
    });
    expect((await reembedded.search({ query: 'flutter', mode: 'vector' })).pendingVectors).toBeGreaterThan(0);
    await reembedded.idle();
    const after = await reembedded.search({ query: 'panel flutter', mode: 'vector' });
    expect(after).toMatchObject({ pendingVectors: 0 });
    expect(after.hits[0]?.path).toBe('docs/wings.md');
  });

  it('answers searches while an ingest runs, each from a consistent snapshot', async () => {
    for (let i = 0; i < 150; i++)
      write(`bulk/part-${i}.txt`, `Bulk part ${i} mentions marker${i} and the word zeppelin.\n`);
    const store = await open({ segmentChunks: 20 });
    const ingest = store.ingest([join(root, 'bulk')]);
    const counts: number[] = [];
    let done = false;
    void ingest.finally(() => {
      done = true;
    });
    while (!done) {
      const result = await store.search({ query: 'zeppelin', mode: 'bm25', k: 1000 });
      counts.push(result.hits.length);
      expect(result.hits.every((h) => h.text.includes('zeppelin'))).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await ingest;
    // searches ran between commits and saw the memory grow, never shrink
    expect(counts.length).toBeGreaterThan(2);
    expect(counts.some((n) => n > 0 && n < 150)).toBe(true);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect((await store.search({ query: 'zeppelin', mode: 'bm25', k: 1000 })).hits).toHaveLength(150);
  });

  it('keeps search results through background merges', async () => {
    for (let i = 0; i < 12; i++)
      write(`many/file-${i}.txt`, `Document ${i} about topic${i % 3} and item${i}.\n`);
    const store = await open({ background: true, segmentChunks: 16, mergeFactor: 2 });
    for (let i = 0; i < 12; i += 3)
      await store.ingest([0, 1, 2].map((j) => join(root, `many/file-${i + j}.txt`)));
    const before = await store.search({ query: 'topic1 item4', k: 5 });
    await store.idle();
    expect(store.stats().segments).toBeLessThan(4);
    const after = await store.search({ query: 'topic1 item4', k: 5 });
    expect(after.hits.map((h) => [h.path, h.score])).toEqual(before.hits.map((h) => [h.path, h.score]));
  });
});
