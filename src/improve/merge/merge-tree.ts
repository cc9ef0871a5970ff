import { git } from '../worktree/git.js';

export type MergeAttempt = { ok: true; commit: string } | { ok: false; conflicts: string[] };

/**
 * Merges `branch` into `onto` without any working tree: `git merge-tree
 * --write-tree` computes the merged tree (or reports the conflicting paths),
 * and `git commit-tree` records it as a merge commit with both parents.
 * Nothing is checked out and no ref moves, so a kill at any point leaves no trace but
 * unreachable objects.
 */
export async function mergeCommit(
  root: string,
  onto: string,
  branch: string,
  message: string,
): Promise<MergeAttempt> {
  const out = await git(root, ['merge-tree', '--write-tree', '--name-only', '--no-messages', onto, branch], {
    allow: [1],
  });
  const [tree, ...rest] = out.stdout.split('\n');
  if (out.code === 1) return { ok: false, conflicts: [...new Set(rest.filter(Boolean))] };
  const commit = await git(root, ['commit-tree', tree!.trim(), '-p', onto, '-p', branch, '-F', '-'], {
    input: message,
  });
  return { ok: true, commit: commit.stdout.trim() };
}
