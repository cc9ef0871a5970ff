import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirtyRepoError, NotAGitRepoError } from '../../src/improve/worktree/errors.js';
import { checkClean, excludeOwnDir, openRepo } from '../../src/improve/worktree/repo.js';
import { newRunState, readRunStates, writeRunState } from '../../src/improve/worktree/run-state.js';
import {
  addDetachedWorktree,
  addWorktree,
  branchSlug,
  listWorktrees,
  reclaim,
} from '../../src/improve/worktree/worktrees.js';
import { makeGitRepo, removeRepo, sh, writeFiles } from '../support/improve-repo.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

/** The pid of a process that has exited: what a killed run leaves in its state file. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('target repository checks', () => {
  it('refuses a path that is not a git repository, with what to do', async () => {
    const plain = realpathSync(mkdtempSync(join(tmpdir(), 'swarm-not-git-')));
    dirs.push(plain);
    const error = await openRepo(plain).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAGitRepoError);
    expect((error as NotAGitRepoError).hint).toMatch(/git init/);
    await expect(openRepo(join(plain, 'missing'))).rejects.toBeInstanceOf(NotAGitRepoError);
  });

  it('refuses uncommitted changes unless allowed, ignoring its own .swarm directory', async () => {
    const root = makeGitRepo({ 'a.ts': 'export const a = 1;\n' });
    dirs.push(root);
    const repo = await openRepo(root);
    await excludeOwnDir(repo);
    writeFiles(root, { '.swarm/improve/x.json': '{}' });
    await expect(checkClean(repo, false)).resolves.toEqual([]);
    expect(sh(root, 'status', '--porcelain')).toBe('');
    writeFiles(root, { 'a.ts': 'export const a = 2;\n', 'new.ts': '' });
    const error = await checkClean(repo, false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirtyRepoError);
    expect((error as Error).message).toMatch(/a\.ts, new\.ts/);
    expect((error as DirtyRepoError).hint).toMatch(/--allow-dirty/);
    await expect(checkClean(repo, true)).resolves.toEqual(['a.ts', 'new.ts']);
    // the exclude line is written once
    await excludeOwnDir(repo);
    expect(readFileSync(join(root, '.git', 'info', 'exclude'), 'utf8').match(/\/\.swarm\//g)).toHaveLength(1);
  });
});

describe('reclaim', () => {
  it("removes a killed run's worktrees and branches, and keeps a finished run's branches", async () => {
    const root = makeGitRepo({ 'a.ts': 'export const a = 1;\n' });
    const wtRoot = realpathSync(mkdtempSync(join(tmpdir(), 'swarm-wt-')));
    dirs.push(root, wtRoot);
    const repo = await openRepo(root);
    const dead = { ...newRunState('imp_dead', join(wtRoot, 'imp_dead')), pid: deadPid() };
    await writeRunState(root, dead);
    const a = await addWorktree(
      repo,
      dead.worktreeRoot,
      'imp_dead',
      branchSlug('split-file:src/a.ts'),
      repo.head,
    );
    const b = await addWorktree(repo, dead.worktreeRoot, 'imp_dead', 'other', repo.head);
    const integration = await addDetachedWorktree(repo, dead.worktreeRoot, 'cycle-1', repo.head);
    sh(root, 'branch', 'swarm/imp_dead/kept-earlier', repo.head);
    const finished = { ...newRunState('imp_done', join(wtRoot, 'imp_done')), status: 'finished' as const };
    await writeRunState(root, finished);
    sh(root, 'branch', 'swarm/imp_done/kept', repo.head);
    const live = { ...newRunState('imp_live', join(wtRoot, 'imp_live')), pid: process.ppid };
    await writeRunState(root, live);
    const liveWt = await addWorktree(repo, live.worktreeRoot, 'imp_live', 'busy', repo.head);
    expect(a.branch).toMatch(/^swarm\/imp_dead\/split-file-src-a-ts-[0-9a-f]{6}$/);

    const result = await reclaim(repo);
    expect(result.runs).toEqual(['imp_dead']);
    expect(result.worktrees).toBe(3);
    expect(result.branches).toBe(3);
    for (const dir of [a.dir, b.dir, integration]) expect(existsSync(dir)).toBe(false);
    const listed = (await listWorktrees(root)).map((w) => w.dir);
    expect(listed).toEqual([root, liveWt.dir]);
    const branches = sh(root, 'branch', '--format=%(refname:short)').split('\n');
    expect(branches.filter((x) => x.startsWith('swarm/imp_dead/'))).toEqual([]);
    expect(branches).toContain('swarm/imp_done/kept');
    expect(branches).toContain(liveWt.branch);
    expect((await readRunStates(root)).states.map((s) => s.runId).sort()).toEqual(['imp_done', 'imp_live']);
    expect(sh(root, 'rev-parse', 'main')).toBe(repo.head);
  });

  it('prunes git records of worktrees whose directory is gone', async () => {
    const root = makeGitRepo({ 'a.ts': 'export const a = 1;\n' });
    const wtRoot = realpathSync(mkdtempSync(join(tmpdir(), 'swarm-wt-')));
    dirs.push(root, wtRoot);
    const repo = await openRepo(root);
    await addWorktree(repo, wtRoot, 'imp_x', 'gone', repo.head);
    removeRepo(wtRoot);
    await reclaim(repo);
    expect((await listWorktrees(root)).map((w) => w.dir)).toEqual([root]);
  });
});
