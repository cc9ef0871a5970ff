import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/memory/index.js';
import { type SimServer, startSim } from '../../src/sim/index.js';

/**
 * The remote embedder against `swarm sim` over real HTTP: batched requests
 * to /v1/embeddings, vectors made in the background while lexical search
 * already answers, and an endpoint that goes away mid-ingest.
 */

const TOPICS = ['turbine blade cooling', 'wing flutter', 'boundary layer suction', 'shock wave reflection'];
let root: string;
let sim: SimServer;

function writeDocs(dir: string, count: number, offset = 0) {
  mkdirSync(join(root, dir), { recursive: true });
  for (let i = offset; i < offset + count; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    writeFileSync(join(root, dir, `note-${i}.txt`), `Note ${i}: measurements of ${topic}, series ${i}.\n`);
  }
}

const options = (dir: string, baseURL: string) => ({
  dir: join(root, dir),
  root,
  embedder: { type: 'http' as const, model: 'sim-model', baseURL },
  segmentChunks: 6,
  embedBatch: 4,
  mergeFactor: 64,
  retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
});

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'swarm-memory-http-'));
  sim = await startSim({ scenario: { models: ['sim-model'] } });
});

afterAll(async () => {
  await sim.close();
  rmSync(root, { recursive: true, force: true });
});

describe('memory with an OpenAI-compatible embeddings endpoint', { timeout: 120_000 }, () => {
  it('embeds in batches in the background, then searches by vector', async () => {
    writeDocs('a', 20);
    sim.reset();
    const store = await MemoryStore.open(options('mem-a', sim.baseURL));
    try {
      await store.ingest([join(root, 'a')]);
      await store.idle();
      expect(store.stats()).toMatchObject({ chunks: 20, vectorChunks: 20 });
      const embeddings = sim.requests().filter((r) => r.path === '/v1/embeddings');
      expect(embeddings.length).toBeGreaterThanOrEqual(5);
      for (const request of embeddings) {
        const body = request.body as { input: string[]; encoding_format: string; model: string };
        expect(body).toMatchObject({ model: 'sim-model', encoding_format: 'base64' });
        expect(body.input.length).toBeLessThanOrEqual(4);
      }
      const result = await store.search({ query: 'measurements of wing flutter', mode: 'vector', k: 5 });
      expect(result.pendingVectors).toBe(0);
      expect(result.hits).toHaveLength(5);
      expect(result.hits.filter((h) => h.text.includes('wing flutter')).length).toBeGreaterThanOrEqual(4);
    } finally {
      await store.close();
    }
  });

  it('keeps ingesting lexically when the endpoint fails, and embeds the rest once it is back', async () => {
    writeDocs('b', 12);
    const store = await MemoryStore.open(options('mem-b', sim.baseURL));
    try {
      await store.ingest([join(root, 'b')]);
      await store.idle();
      expect(store.stats().vectorChunks).toBe(12);

      const port = sim.port;
      await sim.close();
      writeDocs('b', 12, 100);
      const report = await store.ingest([join(root, 'b')]);
      expect(report).toMatchObject({ changed: 12, unchanged: 12 });
      await store.idle();
      const paused = store.stats();
      expect(paused.chunks).toBe(24);
      expect(paused.vectorChunks).toBe(12);
      expect(paused.background).toMatchObject({
        state: 'paused',
        error: expect.stringMatching(/embeddings endpoint/),
      });

      // words find the new notes at once; the vector path says what it could not cover
      const lexical = await store.search({ query: 'series 105', mode: 'bm25', k: 1 });
      expect(lexical.hits[0]?.path).toBe('b/note-105.txt');
      const hybrid = await store.search({ query: 'series 105 shock wave', k: 3 });
      expect(hybrid.notice).toMatch(/vector search skipped|no vectors yet/);
      expect(hybrid.hits[0]?.path).toBe('b/note-105.txt');

      sim = await startSim({ scenario: { models: ['sim-model'] }, port });
      store.resumeBackground();
      await store.idle();
      expect(store.stats()).toMatchObject({ vectorChunks: 24, background: { state: 'idle' } });
      const vector = await store.search({
        query: 'note 105 measurements of shock wave reflection',
        mode: 'vector',
      });
      expect(vector.pendingVectors).toBe(0);
      expect(vector.hits.map((h) => h.path)).toContain('b/note-105.txt');
    } finally {
      await store.close();
    }
  });
});
