import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fastForward } from '../../src/improve/merge/fast-forward.js';
import { integrate } from '../../src/improve/merge/integrate.js';
import { openRepo } from '../../src/improve/worktree/repo.js';
import { addDetachedWorktree, removeWorktree } from '../../src/improve/worktree/worktrees.js';
import { makeGitRepo, removeRepo, sh, writeFiles } from '../support/improve-repo.js';

const repos: string[] = [];
afterEach(() => {
  for (const root of repos.splice(0)) removeRepo(root);
});

/** A branch off main with `files` committed on it. */
function branch(root: string, name: string, files: Record<string, string>): void {
  sh(root, 'switch', '--quiet', '-c', name, 'main');
  writeFiles(root, files);
  sh(root, 'add', '-A');
  sh(root, 'commit', '--quiet', '-m', name);
  sh(root, 'switch', '--quiet', 'main');
}

function fixture(): string {
  const root = makeGitRepo({ 'a.txt': 'one\ntwo\nthree\n', 'b.txt': 'b\n' });
  repos.push(root);
  return root;
}

/** The repository and a detached checkout of its head, beside it, where the integration's tests run. */
async function integrationCheckout(root: string) {
  const repo = await openRepo(root);
  const dir = await addDetachedWorktree(
    repo,
    join(root, '..', `${root.split('/').at(-1)}-wt`),
    'int',
    repo.head,
  );
  repos.push(join(dir, '..'));
  return { repo, dir };
}

describe('integrate', () => {
  it('drops a branch that conflicts with one merged before it, predicted without touching any tree', async () => {
    const root = fixture();
    branch(root, 'x', { 'a.txt': 'one\nTWO from x\nthree\n' });
    branch(root, 'y', { 'a.txt': 'one\nTWO from y\nthree\n' });
    branch(root, 'z', { 'c.txt': 'new\n' });
    const { repo, dir } = await integrationCheckout(root);
    let tests = 0;
    const result = await integrate({
      root,
      dir,
      base: repo.head,
      branches: ['x', 'y', 'z'].map((b) => ({ candidateId: b, branch: b, title: b })),
      test: async () => {
        tests++;
        return { ok: true, detail: 'green' };
      },
    });
    expect(result.merged.map((m) => m.branch)).toEqual(['x', 'z']);
    expect(result.dropped).toEqual([
      expect.objectContaining({ branch: 'y', reason: expect.stringMatching(/conflicts .* in a\.txt/) }),
    ]);
    expect(tests).toBe(1);
    expect(sh(root, 'show', `${result.tip}:a.txt`)).toContain('TWO from x');
    expect(sh(root, 'show', `${result.tip}:c.txt`)).toBe('new');
    // main and the user's tree did not move
    expect(sh(root, 'rev-parse', 'main')).toBe(repo.head);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
    await removeWorktree(repo, { dir, branch: '' }, { keepBranch: true });
  });

  it('finds the branch that breaks the tests by bisection and merges the rest', async () => {
    const root = fixture();
    const names = ['p1', 'p2', 'bad', 'p3', 'p4'];
    for (const name of names) branch(root, name, { [`${name}.txt`]: name === 'bad' ? 'broken\n' : 'fine\n' });
    const { repo, dir } = await integrationCheckout(root);
    const result = await integrate({
      root,
      dir,
      base: repo.head,
      batchSize: 5,
      branches: names.map((b) => ({ candidateId: b, branch: b, title: b })),
      test: async (at) => {
        const broken = existsSync(join(at, 'bad.txt'));
        return { ok: !broken, detail: broken ? 'bad.txt says broken' : 'green' };
      },
    });
    expect(result.merged.map((m) => m.branch)).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(result.dropped).toEqual([
      expect.objectContaining({
        branch: 'bad',
        reason: expect.stringMatching(/bisection.*bad\.txt says broken/),
      }),
    ]);
    // 1 whole batch + 3 bisection probes at most (log2 5) + 1 retry of the rest
    expect(result.testRuns).toBeLessThanOrEqual(5);
    expect(sh(root, 'ls-tree', '--name-only', result.tip).split('\n')).not.toContain('bad.txt');
    await removeWorktree(repo, { dir, branch: '' }, { keepBranch: true });
  });
});

describe('fastForward', () => {
  async function ahead(root: string) {
    branch(root, 'result', { 'b.txt': 'b improved\n' });
    return { repo: await openRepo(root), to: sh(root, 'rev-parse', 'result') };
  }

  it('fast-forwards the checked-out branch of a clean tree so its files match', async () => {
    const root = fixture();
    const { repo, to } = await ahead(root);
    const moved = await fastForward(root, 'main', repo.head, to);
    expect(moved).toMatchObject({ moved: true, how: 'merge --ff-only' });
    expect(sh(root, 'rev-parse', 'main')).toBe(to);
    expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('b improved\n');
  });

  it('refuses when the checked-out tree has uncommitted changes, and leaves them alone', async () => {
    const root = fixture();
    const { repo, to } = await ahead(root);
    writeFiles(root, { 'a.txt': 'my own edit\n' });
    const moved = await fastForward(root, 'main', repo.head, to);
    expect(moved).toMatchObject({
      moved: false,
      reason: expect.stringMatching(/uncommitted changes \(a\.txt\)/),
    });
    expect(sh(root, 'rev-parse', 'main')).toBe(repo.head);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('my own edit\n');
  });

  it('refuses when the branch moved since the run started, and never goes backwards', async () => {
    const root = fixture();
    const { repo, to } = await ahead(root);
    writeFiles(root, { 'd.txt': 'user work\n' });
    sh(root, 'add', '-A');
    sh(root, 'commit', '--quiet', '-m', 'user');
    const moved = await fastForward(root, 'main', repo.head, to);
    expect(moved).toMatchObject({ moved: false, reason: expect.stringMatching(/moved during the run/) });
  });

  it('updates a branch checked out nowhere with update-ref, guarded by its old value', async () => {
    const root = fixture();
    const { repo, to } = await ahead(root);
    sh(root, 'branch', 'release', repo.head);
    const moved = await fastForward(root, 'release', repo.head, to);
    expect(moved).toMatchObject({ moved: true, how: 'update-ref' });
    expect(sh(root, 'rev-parse', 'release')).toBe(to);
    expect(sh(root, 'rev-parse', 'main')).toBe(repo.head);
  });
});
