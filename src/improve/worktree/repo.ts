import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { DetachedHeadError, DirtyRepoError, NoCommitsError, NotAGitRepoError } from './errors.js';
import { git, gitLine } from './git.js';

/** Where a run keeps its own files inside the target repository (never committed: see `excludeOwnDir`). */
export const OWN_DIR = '.swarm';

/** The repository a run improves, as found at the start. */
export interface TargetRepo {
  /** The top of the user's working tree. */
  root: string;
  /** The directory holding refs and objects, shared by every worktree. */
  commonDir: string;
  /** The branch that is improved (`main`), without `refs/heads/`. */
  branch: string;
  /** Its commit when the run started. */
  head: string;
}

/** Finds the repository at `path`: a clear error when it is not one, or has no commit or branch. */
export async function openRepo(path: string, target?: string): Promise<TargetRepo> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new NotAGitRepoError(abs);
  const top = await git(abs, ['rev-parse', '--show-toplevel'], { allow: [128] }).catch(() => undefined);
  if (top?.code !== 0) throw new NotAGitRepoError(abs);
  const root = top.stdout.trim();
  const common = await gitLine(root, ['rev-parse', '--git-common-dir']);
  const commonDir = isAbsolute(common) ? common : join(root, common);
  let branch = target;
  if (!branch) {
    const symbolic = await git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { allow: [1] });
    if (symbolic.code !== 0) throw new DetachedHeadError(root);
    branch = symbolic.stdout.trim();
  }
  const head = await git(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], {
    allow: [1],
  });
  if (head.code !== 0) throw new NoCommitsError(root);
  return { root, commonDir, branch, head: head.stdout.trim() };
}

/**
 * Paths with uncommitted changes (staged, unstaged or untracked, ignored
 * files aside), leaving out the run's own directory.
 */
export async function uncommittedChanges(root: string): Promise<string[]> {
  const out = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  return out.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3))
    .filter((path) => path !== OWN_DIR && !path.startsWith(`${OWN_DIR}/`));
}

/** Refuses a repository with uncommitted changes unless they are explicitly allowed. */
export async function checkClean(repo: TargetRepo, allowDirty: boolean): Promise<string[]> {
  const changed = await uncommittedChanges(repo.root);
  if (changed.length > 0 && !allowDirty) throw new DirtyRepoError(repo.root, changed);
  return changed;
}

/**
 * Makes git ignore the run's own directory in this clone (`.git/info/exclude`,
 * which is never committed or shared), so reports and state files never show
 * as changes in the user's working tree.
 */
export async function excludeOwnDir(repo: TargetRepo): Promise<void> {
  const file = join(repo.commonDir, 'info', 'exclude');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current.split('\n').some((line) => line.trim() === `/${OWN_DIR}/`)) return;
  await mkdir(join(repo.commonDir, 'info'), { recursive: true });
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${separator}# swarm improve: run reports and state\n/${OWN_DIR}/\n`);
}
