import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runImprove } from '../../src/improve/pipeline/run-improve.js';
import { improveFixtureFiles, scriptedSkill } from '../support/improve-fixture.js';
import { makeGitRepo, removeRepo, sh } from '../support/improve-repo.js';

const repos: string[] = [];
afterEach(() => {
  for (const root of repos.splice(0)) removeRepo(root);
});

describe('swarm improve --cycles and --allow-dirty', () => {
  it('starts each cycle from the last merged result, stops when a cycle merges nothing, and never touches uncommitted changes', async () => {
    const root = makeGitRepo(improveFixtureFiles(), { linkNodeModules: true });
    repos.push(root);
    const head = sh(root, 'rev-parse', 'main');
    writeFileSync(join(root, 'src/orders.ts'), '// my work in progress\n');
    const dirty = readFileSync(join(root, 'src/orders.ts'), 'utf8');
    // The same edit every cycle: the second finds it already made.
    const skill = scriptedSkill((c) => {
      if (c.id !== 'split-file:src/big.ts') return undefined;
      return { 'src/notes.ts': 'export const note = 1;\n' };
    });
    const report = await runImprove({
      repo: root,
      cycles: 3,
      allowDirty: true,
      pickSkill: (c) => (skill.handles(c) ? skill : undefined),
    });
    expect(report.untouchedChanges).toEqual(['src/orders.ts']);
    expect(report.cycles).toHaveLength(2);
    const [first, second] = report.cycles;
    expect(first!.base).toBe(head);
    expect(first!.merge!.merged).toHaveLength(1);
    expect(second!.base).toBe(first!.merge!.tip);
    expect(second!.results[0]).toMatchObject({
      outcome: 'skipped',
      reason: 'the skill ran but changed nothing',
    });
    expect(second!.merge!.integrationBranch).toMatch(/\/integration-2$/);
    // the second cycle's records build on the first's
    expect(
      sh(root, 'show', `${second!.merge!.tip}:improvements.md`).match(/## \d{4}-\d\d-\d\d: run/g),
    ).toHaveLength(2);
    // the uncommitted change is exactly as it was; main did not move
    expect(readFileSync(join(root, 'src/orders.ts'), 'utf8')).toBe(dirty);
    expect(sh(root, 'status', '--porcelain')).toBe('M src/orders.ts');
    expect(sh(root, 'rev-parse', 'main')).toBe(head);
    expect(readFileSync(report.files.markdown, 'utf8')).toMatch(/`--allow-dirty`: 1 uncommitted path/);
  }, 120_000);
});
