import { isTestFile } from '../plan/candidate.js';
import { git } from '../worktree/git.js';
import { RepoConventions } from './conventions.js';
import { testStrength, weakening } from './test-strength.js';

/** A kept change as the reviewer sees it: the commits it spans. */
export interface ReviewSubject {
  candidateId: string;
  base: string;
  commit: string;
  title: string;
  reason: string;
}

export interface ReviewVerdict {
  approved: boolean;
  /** Why not, one line each; or what was checked when approved. */
  reasons: string[];
  /** Which reviewers spoke: `rules`, and `model` when one is configured. */
  by: string[];
}

export interface ReviewOptions {
  /** Most lines a change may add plus remove (default 4000). */
  maxDiffLines?: number;
}

export const DEFAULT_MAX_DIFF_LINES = 4000;

/** A second opinion on a change, from a model. */
export type ModelReviewer = (
  subject: ReviewSubject,
  diff: string,
) => Promise<{ approved: boolean; reason: string }>;

/**
 * The deterministic review every kept change gets: the diff stays within its
 * size bound; no test file is deleted or weakened (fewer cases, fewer
 * assertions, or newly skipped ones); every new file follows the repository's
 * conventions (extension in use, existing folder or one new level, naming
 * style of its neighbours). A model reviewer, when given, must approve too.
 */
export async function reviewChange(
  root: string,
  subject: ReviewSubject,
  options: ReviewOptions & { model?: ModelReviewer } = {},
): Promise<ReviewVerdict> {
  const problems: string[] = [];
  const maxLines = options.maxDiffLines ?? DEFAULT_MAX_DIFF_LINES;
  const numstat = await git(root, ['diff', '--numstat', '--no-renames', subject.base, subject.commit]);
  let lines = 0;
  for (const row of numstat.stdout.split('\n')) {
    const [added, removed] = row.split('\t');
    lines += (Number(added) || 0) + (Number(removed) || 0);
  }
  if (lines > maxLines) problems.push(`the diff changes ${lines} lines, over the bound of ${maxLines}`);
  const status = await git(root, ['diff', '--name-status', '--no-renames', subject.base, subject.commit]);
  const added: string[] = [];
  for (const row of status.stdout.split('\n').filter(Boolean)) {
    const [kind, path] = row.split('\t') as [string, string];
    if (kind === 'D' && isTestFile(path)) problems.push(`${path}: a test file is deleted`);
    if (kind === 'A') added.push(path);
    if (kind === 'M' && isTestFile(path)) {
      const before = testStrength(await show(root, subject.base, path));
      const after = testStrength(await show(root, subject.commit, path));
      const weaker = weakening(path, before, after);
      if (weaker) problems.push(weaker);
    }
  }
  if (added.length > 0) {
    const tree = await git(root, ['ls-tree', '-r', '--name-only', subject.base]);
    const conventions = new RepoConventions(tree.stdout.split('\n').filter(Boolean));
    for (const path of added) {
      const violation = conventions.violation(path);
      if (violation) problems.push(violation);
    }
  }
  const by = ['rules'];
  if (problems.length === 0 && options.model) {
    by.push('model');
    const diff = (await git(root, ['diff', subject.base, subject.commit])).stdout;
    const opinion = await options.model(subject, diff);
    if (!opinion.approved) problems.push(`model reviewer: ${opinion.reason}`);
    else
      return {
        approved: true,
        reasons: [`rules passed (${lines} lines changed)`, `model: ${opinion.reason}`],
        by,
      };
  }
  return problems.length > 0
    ? { approved: false, reasons: problems, by }
    : { approved: true, reasons: [`rules passed (${lines} lines changed)`], by };
}

async function show(root: string, commit: string, path: string): Promise<string> {
  return (await git(root, ['show', `${commit}:${path}`], { allow: [128] })).stdout;
}
