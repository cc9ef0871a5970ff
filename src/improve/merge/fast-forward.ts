import { git } from '../worktree/git.js';
import { uncommittedChanges } from '../worktree/repo.js';
import { listWorktrees } from '../worktree/worktrees.js';

export type FastForwardOutcome =
  | { moved: true; from: string; to: string; how: 'update-ref' | 'merge --ff-only'; worktree?: string }
  | { moved: false; reason: string };

/**
 * Moves `target` from `expected` to `to`, only forward and only if nobody
 * moved it since the run started. Where the branch is checked out (the user's
 * working tree), that tree is fast-forwarded with `git merge --ff-only` so its
 * files match, and only if it has no uncommitted changes; elsewhere the ref is
 * updated with `git update-ref`, guarded by its old value. Nothing is forced.
 */
export async function fastForward(
  root: string,
  target: string,
  expected: string,
  to: string,
): Promise<FastForwardOutcome> {
  const ref = `refs/heads/${target}`;
  const current = (await git(root, ['rev-parse', '--verify', '--quiet', ref], { allow: [1] })).stdout.trim();
  if (current !== expected) {
    return {
      moved: false,
      reason: `${target} moved during the run (${expected.slice(0, 12)} → ${current.slice(0, 12) || 'deleted'})`,
    };
  }
  const ancestor = await git(root, ['merge-base', '--is-ancestor', expected, to], { allow: [1] });
  if (ancestor.code !== 0)
    return { moved: false, reason: `${to.slice(0, 12)} does not descend from ${target}` };
  if (expected === to) return { moved: false, reason: 'nothing new to merge' };
  const checkedOut = (await listWorktrees(root)).find((wt) => wt.branch === target);
  if (checkedOut) {
    const dirty = await uncommittedChanges(checkedOut.dir);
    if (dirty.length > 0) {
      return {
        moved: false,
        reason: `${target} is checked out in ${checkedOut.dir}, which has uncommitted changes (${dirty.slice(0, 5).join(', ')}); the tree was left alone`,
      };
    }
    await git(checkedOut.dir, ['merge', '--ff-only', '--quiet', to]);
    return { moved: true, from: expected, to, how: 'merge --ff-only', worktree: checkedOut.dir };
  }
  await git(root, [
    'update-ref',
    '-m',
    'swarm improve: fast-forward to the tested result',
    ref,
    to,
    expected,
  ]);
  return { moved: true, from: expected, to, how: 'update-ref' };
}
