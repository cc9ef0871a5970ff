import { git } from '../worktree/git.js';
import { mergeCommit } from './merge-tree.js';

export interface MergeableBranch {
  candidateId: string;
  branch: string;
  title: string;
}

export interface DroppedBranch {
  branch: string;
  candidateId: string;
  reason: string;
}

export interface IntegrationOptions {
  root: string;
  /** A worktree of our own where tests run; it is moved between commits freely. */
  dir: string;
  /** The green commit to build on (the target branch's head). */
  base: string;
  branches: readonly MergeableBranch[];
  /** Branches merged before each test run (default 5). */
  batchSize?: number;
  /** Runs the tests at the commit checked out in `dir`: whether everything that passed at baseline still passes. */
  test: (dir: string) => Promise<{ ok: boolean; detail: string }>;
  onProgress?: (message: string) => void;
}

export interface IntegrationResult {
  /** The last green commit: `base` plus every merged branch. */
  tip: string;
  merged: MergeableBranch[];
  dropped: DroppedBranch[];
  testRuns: number;
}

/**
 * Merges approved branches one by one onto `base`, in batches: a branch that
 * conflicts with what is already merged is dropped at once (predicted by
 * `git merge-tree`, nothing checked out); after each batch the tests run, and
 * when they fail the branch that breaks them is found by bisection over the
 * batch (the shortest failing prefix ends with it), dropped, and the rest of
 * the batch is tried again. The result only ever advances to green commits.
 */
export async function integrate(options: IntegrationOptions): Promise<IntegrationResult> {
  const batchSize = Math.max(1, options.batchSize ?? 5);
  const dropped: DroppedBranch[] = [];
  const merged: MergeableBranch[] = [];
  let tip = options.base;
  let testRuns = 0;
  const testAt = async (commit: string) => {
    await git(options.dir, ['checkout', '--quiet', '--force', '--detach', commit]);
    testRuns++;
    return options.test(options.dir);
  };
  for (let k = 0; k < options.branches.length; k += batchSize) {
    let batch = options.branches.slice(k, k + batchSize);
    for (;;) {
      const chain = await mergeChain(options.root, tip, batch);
      for (const conflict of chain.conflicts) {
        dropped.push(conflict);
        options.onProgress?.(`conflict: dropped ${conflict.branch} (${conflict.reason})`);
      }
      batch = chain.merged;
      if (batch.length === 0) break;
      const result = await testAt(chain.commits.at(-1)!);
      if (result.ok) {
        tip = chain.commits.at(-1)!;
        merged.push(...batch);
        options.onProgress?.(`batch of ${batch.length} merged, tests green`);
        break;
      }
      // Invariant: tip is green, the whole chain is red; find the shortest red prefix.
      let low = 0;
      let high = batch.length - 1;
      let detail = result.detail;
      while (low < high) {
        const mid = Math.floor((low + high) / 2);
        const probe = await testAt(chain.commits[mid]!);
        if (probe.ok) low = mid + 1;
        else {
          high = mid;
          detail = probe.detail;
        }
      }
      const culprit = batch[low]!;
      dropped.push({
        branch: culprit.branch,
        candidateId: culprit.candidateId,
        reason: `tests fail once it is merged with the others (found by bisection): ${detail}`,
      });
      options.onProgress?.(`tests failed: bisection dropped ${culprit.branch}`);
      batch = batch.filter((b) => b !== culprit);
      if (batch.length === 0) break;
    }
  }
  return { tip, merged, dropped, testRuns };
}

/** Merges each branch in turn onto the previous result; conflicting ones are left out. */
async function mergeChain(
  root: string,
  base: string,
  branches: readonly MergeableBranch[],
): Promise<{ commits: string[]; merged: MergeableBranch[]; conflicts: DroppedBranch[] }> {
  const commits: string[] = [];
  const merged: MergeableBranch[] = [];
  const conflicts: DroppedBranch[] = [];
  let at = base;
  for (const branch of branches) {
    const attempt = await mergeCommit(root, at, branch.branch, `Merge ${branch.branch}: ${branch.title}\n`);
    if (!attempt.ok) {
      conflicts.push({
        branch: branch.branch,
        candidateId: branch.candidateId,
        reason: `conflicts with changes merged before it in ${attempt.conflicts.join(', ') || 'the tree'}`,
      });
      continue;
    }
    at = attempt.commit;
    commits.push(at);
    merged.push(branch);
  }
  return { commits, merged, conflicts };
}
