import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSwarm } from '../support/swarm-cli.js';

/** `swarm memory ingest | search | pack | stats` as a user runs them, from the built CLI. */

let dir: string;

const swarm = (args: string[]) => runSwarm(args, { cwd: dir });

beforeAll(() => {
  if (!existsSync('dist/cli/main.js'))
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'swarm-memory-cli-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(
    join(dir, 'src', 'ledger.ts'),
    'export function reserveBudget(tokens: number): number {\n  return tokens * 2;\n}\n',
  );
  writeFileSync(
    join(dir, 'docs', 'guide.md'),
    '# Guide\n\n## Budgets\n\nEvery call reserves its worst case first.\n',
  );
  writeFileSync(join(dir, 'docs', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('swarm memory', { timeout: 120_000 }, () => {
  it('ingests, reports what it skipped and why, and does nothing the second time', async () => {
    const first = await swarm(['memory', 'ingest', 'src', 'docs']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Ingested 3 files \(2 new or changed, 0 unchanged, 1 skipped\)/);
    expect(first.stdout).toMatch(/skipped docs\/logo\.png: binary/);
    const second = await swarm(['memory', 'ingest', 'src', 'docs', '--json']);
    expect(JSON.parse(second.stdout)).toMatchObject({ changed: 0, unchanged: 2, chunks: 0 });
  });

  it('searches with filters, as text and as JSON', async () => {
    const text = await swarm(['memory', 'search', 'reserve budget', '--k', '1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^1\. src\/ledger\.ts:1-3 /);
    const json = await swarm([
      'memory',
      'search',
      'worst case',
      '--kind',
      'markdown',
      '--mode',
      'bm25',
      '--json',
    ]);
    const result = JSON.parse(json.stdout) as { hits: { path: string; symbol: string }[]; mode: string };
    expect(result.mode).toBe('bm25');
    expect(result.hits.map((h) => h.path)).toEqual(['docs/guide.md']);
    const stop = await swarm(['memory', 'search', 'what is the']);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toMatch(/only stop words/);
  });

  it('packs context within a budget and shows the stats', async () => {
    const pack = await swarm(['memory', 'pack', 'how are budgets reserved', '--budget', '200']);
    expect(pack.code, pack.stderr).toBe(0);
    expect(pack.stdout).toMatch(/^### (docs\/guide\.md|src\/ledger\.ts):/);
    expect(pack.stderr).toMatch(/of 200 tokens/);
    const stats = await swarm(['memory', 'stats', '--json']);
    expect(JSON.parse(stats.stdout)).toMatchObject({ files: 2, embedder: 'hashed:2048', vectorChunks: 2 });
  });

  it('says what was wrong and what to do', async () => {
    const missing = await swarm(['memory', 'ingest', 'no-such-dir']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot ingest no-such-dir: no such file or directory/);
    expect(missing.stderr).toMatch(/hint:/);
    const embed = await swarm(['memory', 'ingest', 'src', '--embed', 'hashed:1000']);
    expect(embed.code).toBe(1);
    expect(embed.stderr).toMatch(/power of two/);
  });

  it("keeps the store where the config says, so the agents' search tool reads what was ingested", async () => {
    const project = join(dir, 'configured');
    mkdirSync(join(project, 'notes'), { recursive: true });
    writeFileSync(join(project, 'swarm.config.yaml'), 'memory:\n  dir: var/memory\n');
    writeFileSync(join(project, 'notes', 'a.md'), '# Queues\n\nLeases expire and tasks come back.\n');
    const r = await runSwarm(['memory', 'ingest', 'notes', '--json'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(project, 'var', 'memory'))).toBe(true);
    expect(existsSync(join(project, '.swarm', 'memory'))).toBe(false);
  });
});
