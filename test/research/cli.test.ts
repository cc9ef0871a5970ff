import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startSim } from '../../src/sim/index.js';
import { fixturePath } from '../support/fixtures.js';
import { runSwarm } from '../support/swarm-cli.js';
import { type ArxivServer, startArxivServer } from './arxiv-server.js';
import { writeProbeProject } from './probe-project.js';

let dir: string;
let server: ArxivServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-research-cli-'));
  writeProbeProject(dir);
  server = await startArxivServer();
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real command line (TypeScript sources through tsx, so no build is needed), run in the project. */
const swarm = (
  args: string[],
  onOutput?: (out: { stdout: string; stderr: string }, child: ChildProcess) => void,
) =>
  runSwarm(args, { cwd: dir, from: 'source', env: { SWARM_CONFIG: '' }, ...(onOutput ? { onOutput } : {}) });

describe('swarm research (CLI)', () => {
  it('reads saved feeds and prints the report as JSON, keeping stderr quiet', async () => {
    const result = await swarm([
      'research',
      '--file',
      fixturePath('arxiv', '2026-search-10-entries.xml'),
      '--file',
      fixturePath('arxiv', 'legacy-2016-search-1-entry.xml'),
      '--top',
      '3',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ fetched: 11, unique: 11, dropped: 8 });
    expect(report.kept).toHaveLength(3);
    for (const k of report.kept) expect(existsSync(join(dir, k.note))).toBe(true);
  });

  it('turns a listing URL into the category query against the API endpoint given', async () => {
    const result = await swarm([
      'research',
      '--url',
      'https://arxiv.org/list/cs.AI/recent',
      '--api-base',
      server.apiBase,
      '--interval',
      '0',
      '--limit',
      '5',
      '--top',
      '2',
    ]);
    expect(result.code).toBe(0);
    expect(Object.fromEntries(server.requests[0]!.url.searchParams)).toMatchObject({
      search_query: 'cat:cs.AI',
      sortBy: 'submittedDate',
      max_results: '5',
    });
    expect(result.stderr).toContain('category cs.AI: 5 of 20 read');
    expect(result.stdout).toContain(
      '5 entries read, 5 distinct papers, 0 already noted, 0 passed over before, 2 kept, 3 below the top N',
    );
    expect(result.stderr).toContain('summaries: extractive: no model is configured');
  });

  it('summarises with the packaged summariser agent when the config names a model', async () => {
    const answer = {
      problem: 'P.',
      method: 'M.',
      result: 'R.',
      impact: 'src/fuzzing would guide mutations.',
    };
    const sim = await startSim({
      scenario: {
        rules: [
          { match: { system: 'You summarise research papers' }, reply: { content: JSON.stringify(answer) } },
        ],
      },
    });
    try {
      writeFileSync(
        join(dir, 'swarm.config.yaml'),
        stringify({
          providers: { sim: { type: 'openai-compatible', baseURL: sim.baseURL } },
          research: { model: 'sim:sim-model' },
        }),
      );
      const result = await swarm([
        'research',
        '--file',
        fixturePath('arxiv', '2026-id-list-1-entry.xml'),
        '--json',
      ]);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.kept).toMatchObject([{ id: '1605.08386', summary: 'model' }]);
      const note = readFileSync(join(dir, report.kept[0].note), 'utf8');
      expect(note).toContain('## Summary (written by research-summariser (sim:sim-model))');
      expect(note).toContain('- **What it would change here.** src/fuzzing would guide mutations.');
    } finally {
      await sim.close();
    }
  });

  it('prints a clear error without a stack trace for bad input', async () => {
    writeFileSync(join(dir, 'improvements.md'), '# x\n\n- [ ] research arXiv:??: broken\n');
    const bad = await swarm(['research', '--file', fixturePath('arxiv', '2026-id-list-1-entry.xml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('improvements.md:3: a research proposal line that does not parse');
    expect(bad.stderr).toContain('hint: Fix that line by hand');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 'improvements.md'), 'utf8')).toBe(
      '# x\n\n- [ ] research arXiv:??: broken\n',
    );
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('watch processes a link added while it runs, and stops cleanly on Ctrl-C', async () => {
    writeFileSync(join(dir, 'improvements.md'), '# Improvements\n');
    let added = false;
    const result = await swarm(
      ['research', 'watch', '--api-base', server.apiBase, '--interval', '0', '--debounce', '50', '--json'],
      (out, child) => {
        const reports = out.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l));
        if (!added && reports.length > 0) {
          added = true;
          writeFileSync(join(dir, 'improvements.md'), '# Improvements\n\nhttps://arxiv.org/abs/1605.08386\n');
        }
        if (reports.some((r) => r.kept.length > 0)) child.kill('SIGINT');
      },
    );
    expect(result.code).toBe(0);
    const reports = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(reports.at(-1)).toMatchObject({
      kept: [{ id: '1605.08386' }],
      links: { processed: ['https://arxiv.org/abs/1605.08386'] },
    });
    expect(readFileSync(join(dir, 'improvements.md'), 'utf8')).toContain('research arXiv:1605.08386v1: ');
  });
});
