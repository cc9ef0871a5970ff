import { createHash } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from './git.js';
import type { TargetRepo } from './repo.js';
import { isDead, type RunState, readRunStates, removeRunState } from './run-state.js';

/** The prefix of every branch a run creates: `swarm/<run>/`. */
export function runBranchPrefix(runId: string): string {
  return `swarm/${runId}/`;
}

/** A git-ref-safe, readable, unique name for a candidate id (`split-file:src/big.ts` → `split-file-src-big-ts-3f2a`). */
export function branchSlug(id: string): string {
  const readable = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  const hash = createHash('sha1').update(id).digest('hex').slice(0, 6);
  return `${readable || 'candidate'}-${hash}`;
}

/** Worktrees live outside the user's tree, so its tools (test runners, watchers) never see them. */
export function defaultWorktreeRoot(runId: string): string {
  return join(tmpdir(), 'swarm-worktrees', runId);
}

export interface Worktree {
  dir: string;
  branch: string;
  /** The commit it started from. */
  base: string;
  /** Dependency directories linked in from the user's tree (never committed). */
  linked: string[];
}

/**
 * A new worktree on a new branch `swarm/<run>/<name>` at `base`. Installed
 * dependencies of the repository (an ignored `node_modules` at its root) are
 * linked in, so the repo's own test command runs in the worktree as it does
 * in the user's tree.
 */
export async function addWorktree(
  repo: TargetRepo,
  worktreeRoot: string,
  runId: string,
  name: string,
  base: string,
): Promise<Worktree> {
  const branch = `${runBranchPrefix(runId)}${name}`;
  const dir = join(worktreeRoot, name);
  await mkdir(worktreeRoot, { recursive: true });
  await git(repo.root, ['worktree', 'add', '--quiet', '-b', branch, dir, base]);
  return { dir, branch, base, linked: await linkDependencies(repo.root, dir) };
}

/** A worktree with no branch at `commit`, for the run's own work (baseline, integration); found by its directory on reclaim. */
export async function addDetachedWorktree(
  repo: TargetRepo,
  worktreeRoot: string,
  name: string,
  commit: string,
): Promise<string> {
  const dir = join(worktreeRoot, name);
  await mkdir(worktreeRoot, { recursive: true });
  await git(repo.root, ['worktree', 'add', '--quiet', '--detach', dir, commit]);
  await linkDependencies(repo.root, dir);
  return dir;
}

const LINKED = ['node_modules'];

/** Links what is missing; a directory the commit itself holds is left as checked out. */
async function linkDependencies(root: string, dir: string): Promise<string[]> {
  const linked: string[] = [];
  for (const name of LINKED) {
    const source = join(root, name);
    if (!existsSync(source) || existsSync(join(dir, name))) continue;
    await symlink(source, join(dir, name), 'dir');
    linked.push(name);
  }
  return linked;
}

/** Stages every change in a worktree except the dependency links the run made. */
export async function stageChanges(worktree: Pick<Worktree, 'dir' | 'linked'>): Promise<void> {
  await git(worktree.dir, ['add', '-A']);
  if (worktree.linked.length > 0) {
    await git(worktree.dir, [
      'rm',
      '-r',
      '--cached',
      '--quiet',
      '--ignore-unmatch',
      '--',
      ...worktree.linked,
    ]);
  }
}

/** Paths with changes in a worktree (tracked or not), the dependency links aside. */
export async function changedPaths(worktree: Pick<Worktree, 'dir' | 'linked'>): Promise<string[]> {
  const out = await git(worktree.dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const paths: string[] = [];
  const entries = out.stdout.split('\0');
  for (let k = 0; k < entries.length; k++) {
    const entry = entries[k]!;
    if (entry.length < 4) continue;
    const path = entry.slice(3);
    if (!worktree.linked.some((name) => path === name || path.startsWith(`${name}/`))) paths.push(path);
    // A rename is followed by its source path.
    if (entry[0] === 'R' || entry[0] === 'C') k++;
  }
  return paths.sort();
}

/** Removes a worktree and, unless kept, its branch. Safe to call on one already half gone. */
export async function removeWorktree(
  repo: TargetRepo,
  worktree: Pick<Worktree, 'dir' | 'branch'>,
  options: { keepBranch: boolean },
): Promise<void> {
  for (const name of LINKED) {
    const link = join(worktree.dir, name);
    if (existsSync(link) && lstatSync(link).isSymbolicLink()) await rm(link);
  }
  await git(repo.root, ['worktree', 'remove', '--force', '--force', worktree.dir], { allow: [128] });
  await rm(worktree.dir, { recursive: true, force: true });
  await git(repo.root, ['worktree', 'prune']);
  if (!options.keepBranch) {
    await git(repo.root, ['branch', '-D', '--quiet', worktree.branch], { allow: [1] });
  }
}

interface ListedWorktree {
  dir: string;
  branch?: string;
}

export async function listWorktrees(root: string): Promise<ListedWorktree[]> {
  const out = (await git(root, ['worktree', 'list', '--porcelain'])).stdout;
  const listed: ListedWorktree[] = [];
  for (const block of out.split('\n\n')) {
    const dir = /^worktree (.+)$/m.exec(block)?.[1];
    if (!dir) continue;
    const branch = /^branch refs\/heads\/(.+)$/m.exec(block)?.[1];
    listed.push(branch ? { dir, branch } : { dir });
  }
  return listed;
}

export async function runBranches(root: string, runId: string): Promise<string[]> {
  const out = await git(root, [
    'for-each-ref',
    '--format=%(refname:short)',
    `refs/heads/${runBranchPrefix(runId)}`,
  ]);
  return out.stdout.split('\n').filter(Boolean);
}

export interface Reclaimed {
  runs: string[];
  worktrees: number;
  branches: number;
  damagedStates: string[];
}

/**
 * What a killed run left behind, taken back at the next start: for each run
 * recorded as running whose process is gone, its worktrees (directories and
 * git's records of them) and its `swarm/<run>/` branches. Git's records of
 * worktrees whose directory vanished are pruned too. Branches of runs that
 * finished are the user's results and stay.
 */
export async function reclaim(
  repo: TargetRepo,
  isStale: (state: RunState) => boolean = isDead,
): Promise<Reclaimed> {
  const { states, damaged } = await readRunStates(repo.root);
  const stale = states.filter(isStale);
  const result: Reclaimed = { runs: [], worktrees: 0, branches: 0, damagedStates: damaged };
  await git(repo.root, ['worktree', 'prune']);
  if (stale.length === 0) return result;
  const listed = await listWorktrees(repo.root);
  for (const state of stale) {
    const prefix = runBranchPrefix(state.runId);
    for (const wt of listed) {
      if (wt.branch?.startsWith(prefix) || wt.dir.startsWith(`${state.worktreeRoot}/`)) {
        await removeWorktree(repo, { dir: wt.dir, branch: wt.branch ?? '' }, { keepBranch: true });
        result.worktrees++;
      }
    }
    await rm(state.worktreeRoot, { recursive: true, force: true });
    for (const branch of await runBranches(repo.root, state.runId)) {
      await git(repo.root, ['branch', '-D', '--quiet', branch], { allow: [1] });
      result.branches++;
    }
    await removeRunState(repo.root, state.runId);
    result.runs.push(state.runId);
  }
  await git(repo.root, ['worktree', 'prune']);
  return result;
}
