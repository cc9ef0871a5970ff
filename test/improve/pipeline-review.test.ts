import { afterEach, describe, expect, it } from 'vitest';
import { modelReviewer } from '../../src/improve/review/model-review.js';
import { reviewChange } from '../../src/improve/review/review-branch.js';
import { makeGitRepo, removeRepo, sh, writeFiles } from '../support/improve-repo.js';

const repos: string[] = [];
afterEach(() => {
  for (const root of repos.splice(0)) removeRepo(root);
});

const TEST =
  "import { it, expect } from 'vitest';\nit('a', () => { expect(1).toBe(1); });\nit('b', () => { expect(2).toBe(2); });\n";

/** A repo and a commit on top of it made of `change` (null deletes a file); returns the review. */
async function review(change: Record<string, string | null>, options: { maxDiffLines?: number } = {}) {
  const root = makeGitRepo({
    'src/run-state.ts': 'export const a = 1;\n',
    'src/big-file.ts': 'export const b = 2;\n',
    'src/a.test.ts': TEST,
  });
  repos.push(root);
  const base = sh(root, 'rev-parse', 'HEAD');
  for (const [path, text] of Object.entries(change)) {
    if (text === null) sh(root, 'rm', '--quiet', path);
    else writeFiles(root, { [path]: text });
  }
  sh(root, 'add', '-A');
  sh(root, 'commit', '--quiet', '-m', 'change');
  const subject = { candidateId: 'c', base, commit: sh(root, 'rev-parse', 'HEAD'), title: 't', reason: 'r' };
  return { root, subject, verdict: await reviewChange(root, subject, options) };
}

describe('the deterministic review', () => {
  it('approves a change that fits', async () => {
    const { verdict } = await review({
      'src/run-state.ts': 'export const a = 2;\n',
      'src/new-part.ts': 'export {};\n',
    });
    expect(verdict).toMatchObject({ approved: true, by: ['rules'] });
  });

  it('rejects a deleted test file, a weakened one, a file outside the conventions and an oversized diff', async () => {
    expect((await review({ 'src/a.test.ts': null })).verdict.reasons).toEqual([
      'src/a.test.ts: a test file is deleted',
    ]);
    const weaker = TEST.replace("it('b', () => { expect(2).toBe(2); });\n", '');
    expect((await review({ 'src/a.test.ts': weaker })).verdict.reasons).toEqual([
      'src/a.test.ts: 1 test case(s) removed',
    ]);
    const skipped = TEST.replace("it('b'", "it.skip('b'");
    expect((await review({ 'src/a.test.ts': skipped })).verdict.reasons).toEqual([
      'src/a.test.ts: 1 test(s) newly skipped',
    ]);
    expect((await review({ 'src/helperThing.ts': 'export {};\n' })).verdict.reasons).toEqual([
      'src/helperThing.ts: named in camel style where the files beside it are kebab',
    ]);
    const big = { 'src/run-state.ts': `${'export const x = 1;\n'.repeat(30)}` };
    expect((await review(big, { maxDiffLines: 10 })).verdict.reasons[0]).toMatch(
      /changes 31 lines, over the bound of 10/,
    );
  });

  it('asks the model reviewer only after the rules pass, and rejects an unreadable verdict', async () => {
    const asked: string[] = [];
    const reviewer = modelReviewer(async (task) => {
      asked.push(task);
      return asked.length === 1
        ? 'Sure! {"approve": false, "reason": "renames a public function"}'
        : 'looks fine to me';
    });
    const { root, subject } = await review({ 'src/run-state.ts': 'export const a = 3;\n' });
    const first = await reviewChange(root, subject, { model: reviewer });
    expect(first).toMatchObject({
      approved: false,
      by: ['rules', 'model'],
      reasons: ['model reviewer: renames a public function'],
    });
    expect(asked[0]).toMatch(/```diff[\s\S]*-export const a = 1;[\s\S]*\+export const a = 3;/);
    const second = await reviewChange(root, subject, { model: reviewer });
    expect(second.approved).toBe(false);
    expect(second.reasons[0]).toMatch(/not a verdict/);
    const blocked = await review({ 'src/a.test.ts': null });
    await reviewChange(blocked.root, blocked.subject, { model: reviewer });
    expect(asked).toHaveLength(2);
  });
});
