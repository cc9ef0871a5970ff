import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/observe/run-store.js';
import { startSim } from '../../src/sim/index.js';
import { improveFixtureFiles, searchReplaceReply } from '../support/improve-fixture.js';
import { makeGitRepo, removeRepo, sh, writeFiles } from '../support/improve-repo.js';

const MAIN = resolve('src/cli/main.ts');
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

function swarm(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The command in another directory, without blocking this process (a simulator may be serving it). */
function swarmIn(
  cwd: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('swarm improve on the command line', () => {
  it('says clearly when the path is not a git repository, or has uncommitted changes, without a stack trace', () => {
    const plain = realpathSync(mkdtempSync(join(tmpdir(), 'swarm-plain-')));
    dirs.push(plain);
    const notRepo = swarm('improve', plain);
    expect(notRepo.code).toBe(1);
    expect(notRepo.stderr).toMatch(/^error: .* is not a git repository\nhint: .*git init/);
    expect(notRepo.stderr).not.toMatch(/\n\s+at /);

    const root = makeGitRepo({ 'a.ts': 'export const a = 1;\n' });
    dirs.push(root);
    writeFiles(root, { 'a.ts': 'export const a = 2;\n' });
    const dirty = swarm('improve', root);
    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toMatch(/error: .* has uncommitted changes: a\.ts\nhint: .*--allow-dirty/);
    const badSkill = swarm('improve', root, '--skills', 'split-file,teleport');
    expect(badSkill.stderr).toMatch(/unknown skill\(s\) teleport/);
  }, 60_000);

  it('prints the plan with --dry-run, and as JSON with --json', () => {
    const root = makeGitRepo(improveFixtureFiles());
    dirs.push(root);
    const plan = swarm('improve', root, '--dry-run');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`^# Improvement plan for ${root}`));
    expect(plan.stdout).toMatch(/split-file \| src\/big\.ts/);
    expect(plan.stderr).toMatch(/plan 1 candidate\(s\): split-file:src\/big\.ts/);
    const json = swarm('improve', root, '--dry-run', '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ dryRun: true, target: 'main', cycles: [] });
    expect(report.planMarkdown).toMatch(/split-file/);
    expect(json.stderr).toBe('');
  }, 60_000);

  it('with --model, edits and reviews through the bundled improver and reviewer agents', async () => {
    const files = improveFixtureFiles();
    const root = makeGitRepo(files, { linkNodeModules: true });
    const work = realpathSync(mkdtempSync(join(tmpdir(), 'swarm-cwd-')));
    dirs.push(root, work);
    const invoice = files['src/invoices.ts']!;
    const edit = searchReplaceReply(
      'src/invoices.ts',
      invoice,
      "import { orderTotal } from './orders.js';\n\nexport const invoiceTotal = orderTotal;\n",
    );
    const sim = await startSim({
      scenario: {
        models: ['sim-model'],
        defaults: { latencyMs: 0, chunkDelayMs: 0 },
        rules: [
          {
            match: { system: 'You review one change' },
            reply: { content: '{"approve": true, "reason": "one copy left"}' },
          },
          { match: { lastUser: 'Why: src/(invoices|orders)' }, reply: { content: edit } },
        ],
      },
    });
    try {
      writeFileSync(
        join(work, 'swarm.config.yaml'),
        `providers:\n  sim:\n    type: openai-compatible\n    baseURL: ${sim.baseURL}\n`,
      );
      const run = await swarmIn(
        work,
        'improve',
        root,
        '--model',
        'sim:sim-model',
        '--skills',
        'extract-duplicate',
        '--json',
      );
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.cycles[0].results).toEqual([
        expect.objectContaining({
          outcome: 'kept',
          skill: 'llm-edit',
          review: expect.objectContaining({ approved: true, by: ['rules', 'model'] }),
        }),
      ]);
      const tip = report.cycles[0].merge.tip;
      expect(sh(root, 'show', `${tip}:src/invoices.ts`)).toMatch(/export const invoiceTotal = orderTotal;/);
      expect(sim.requests().filter((r) => r.path === '/v1/chat/completions')).toHaveLength(2);
      // recorded in the run store of the working directory, with its improve event
      const store = new RunStore(join(work, '.swarm', 'swarm.db'));
      try {
        expect(store.listRuns().find((r) => r.id === report.runId)).toMatchObject({
          agent: 'improve',
          status: 'succeeded',
        });
        expect(store.events(report.runId).map((e) => e.type)).toContain('improve.candidate');
      } finally {
        store.close();
      }
    } finally {
      await sim.close();
    }
  }, 120_000);

  it('stops on Ctrl-C with exit 130, rolling back the candidate in flight and leaving no worktree', async () => {
    // The tests pass at baseline (the run's own checkout) and hang in a candidate's worktree.
    const hang =
      "import { basename } from 'node:path';\nif (!basename(process.cwd()).startsWith('cycle-')) setInterval(() => {}, 1000);\n";
    const root = makeGitRepo(
      { ...improveFixtureFiles({ testScript: 'node hang.mjs' }), 'hang.mjs': hang },
      { linkNodeModules: true },
    );
    dirs.push(root);
    const head = sh(root, 'rev-parse', 'main');
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'improve', root], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    const interrupted = new Promise<number | null>((done) => child.on('close', done));
    await new Promise<void>((started) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('▸ split-file:src/big.ts')) started();
      });
    });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    expect(await interrupted, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted: swarm improve run .* was cancelled/);
    expect(sh(root, 'worktree', 'list', '--porcelain')).not.toMatch(/swarm-worktrees/);
    expect(sh(root, 'for-each-ref', '--format=%(refname)', 'refs/heads/swarm/')).not.toMatch(/split-file/);
    expect(sh(root, 'rev-parse', 'main')).toBe(head);
  }, 120_000);
});
