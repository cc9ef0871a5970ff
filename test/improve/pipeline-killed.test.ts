import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runImprove } from '../../src/improve/pipeline/run-improve.js';
import { listWorktrees } from '../../src/improve/worktree/index.js';
import { improveFixtureFiles } from '../support/improve-fixture.js';
import { makeGitRepo, removeRepo, sh, snapshot } from '../support/improve-repo.js';

const repos: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const root of repos.splice(0)) removeRepo(root);
});

/** A test command that, run on the integration checkout once the change is merged, says so and hangs. */
const CHECK = `import { existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
if (basename(process.cwd()).startsWith('cycle-') && existsSync('merged-marker.mjs')) {
  writeFileSync(process.env.SWARM_TEST_READY, String(process.pid));
  setInterval(() => {}, 1000);
}
`;

async function waitFor(file: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (child.exitCode !== null) throw new Error(`the run exited (${child.exitCode}) before merging`);
    if (Date.now() > deadline) throw new Error('the run did not reach the merge in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('swarm improve killed mid-merge', () => {
  it('leaves the target branch and the tree untouched, and the next run reclaims what it left', async () => {
    const files = improveFixtureFiles({ testScript: 'node check.mjs' });
    const root = makeGitRepo({ ...files, 'check.mjs': CHECK });
    repos.push(root);
    const before = snapshot(root);
    const head = sh(root, 'rev-parse', 'main');
    const ready = join(root, '..', `${root.split('/').at(-1)}-ready`);
    repos.push(ready);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/improve-run-process.ts', root], {
      env: { ...process.env, SWARM_TEST_READY: ready },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let log = '';
    child.stderr!.on('data', (d) => {
      log += d;
    });
    await waitFor(ready, child, 90_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${log}`);
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    process.kill(Number(readFileSync(ready, 'utf8')), 'SIGKILL');
    await exited;

    // killed with the integration checked out and a kept branch: the user's side has not moved
    expect(sh(root, 'rev-parse', 'main')).toBe(head);
    expect(snapshot(root).files).toEqual(before.files);
    expect((await listWorktrees(root)).length).toBeGreaterThan(1);
    const stray = sh(root, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/swarm/');
    expect(stray).toMatch(/split-file/);
    const deadRun = stray.split('/')[1]!;

    const next = await runImprove({ repo: root, dryRun: true, pickSkill: () => undefined });
    expect(next.reclaimed.runs).toEqual([deadRun]);
    expect(next.reclaimed.worktrees).toBeGreaterThanOrEqual(1);
    expect((await listWorktrees(root)).map((w) => w.dir)).toEqual([root]);
    expect(sh(root, 'for-each-ref', '--format=%(refname:short)', `refs/heads/swarm/${deadRun}/`)).toBe('');
    expect(sh(root, 'rev-parse', 'main')).toBe(head);
  }, 150_000);
});
