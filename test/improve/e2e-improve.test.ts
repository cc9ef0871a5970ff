import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnyEvent, EventBus } from '../../src/core/events.js';
import { runImprove } from '../../src/improve/pipeline/run-improve.js';
import { skillPicker } from '../../src/improve/pipeline/skill-picker.js';
import { improveFixtureFiles } from '../support/improve-fixture.js';
import { makeGitRepo, removeRepo, sh, snapshot, userRefs } from '../support/improve-repo.js';

const repos: string[] = [];
afterEach(() => {
  for (const root of repos.splice(0)) removeRepo(root);
});

/** Lines of every TypeScript file in a commit's tree. */
function tsLines(root: string, commit: string): Map<string, number> {
  const files = sh(root, 'ls-tree', '-r', '--name-only', commit)
    .split('\n')
    .filter((p) => p.endsWith('.ts'));
  return new Map(files.map((path) => [path, sh(root, 'show', `${commit}:${path}`).split('\n').length]));
}

describe('swarm improve end to end, no model', () => {
  it('splits the 900-line file on a tested branch; without --merge nothing of the user changes, with it only a fast-forward', async () => {
    const root = makeGitRepo(improveFixtureFiles(), { linkNodeModules: true });
    repos.push(root);
    const head = sh(root, 'rev-parse', 'main');
    expect(Math.max(...tsLines(root, head).values())).toBeGreaterThan(890);
    const before = snapshot(root);
    const events: AnyEvent[] = [];
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));

    const report = await runImprove({ repo: root, pickSkill: skillPicker(), workers: 2 }, bus);
    const [cycle] = report.cycles;
    const split = cycle!.results.find((r) => r.candidateId === 'split-file:src/big.ts')!;
    expect(split).toMatchObject({ outcome: 'kept', skill: 'split-file' });
    expect(split.gates.map((g) => [g.gate, g.ok])).toEqual([
      ['apply', true],
      ['test', true],
      ['review', true],
    ]);
    // the kept branch: every file under the threshold, and its tests pass when run anew
    const lines = tsLines(root, split.commit!);
    expect(Math.max(...lines.values())).toBeLessThan(500);
    expect(sh(root, 'log', '-1', '--format=%B', split.branch!)).toMatch(
      /Why: src\/big\.ts has \d+ lines[\s\S]*Swarm-Candidate: split-file:src\/big\.ts/,
    );
    const check = join(root, '..', `${root.split('/').at(-1)}-check`);
    repos.push(check);
    sh(root, 'worktree', 'add', '--quiet', '--detach', check, split.commit!);
    symlinkSync(join(root, 'node_modules'), join(check, 'node_modules'));
    const tests = spawnSync('npm', ['test'], { cwd: check, encoding: 'utf8' });
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
    sh(root, 'worktree', 'remove', '--force', check);
    // the duplicate needs a model: it waits on the roadmap, planned, not tried
    expect(cycle!.results.map((r) => r.candidateId)).toEqual(['split-file:src/big.ts']);
    expect(cycle!.waiting).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^extract-duplicate:/),
        reason: expect.stringMatching(/needs a language model/),
      }),
    ]);
    // the integration branch holds the split and the records; the user's side is byte-identical
    const merge = cycle!.merge!;
    expect(merge.merged).toEqual([split.branch]);
    expect(merge.target.moved).toBe(false);
    const roadmap = sh(root, 'show', `${merge.tip}:roadmap.md`);
    expect(roadmap).toMatch(
      /## Planned[\s\S]*extract-duplicate:[\s\S]*needs a language model[\s\S]*## In progress[\s\S]*split-file:src\/big\.ts/,
    );
    expect(sh(root, 'show', `${merge.tip}:docs/context.md`)).toMatch(/## Known issues/);
    const after = snapshot(root);
    expect(after.files).toEqual(before.files);
    expect(userRefs(after.refs)).toEqual(userRefs(before.refs));
    expect(sh(root, 'status', '--porcelain')).toBe('');
    // figures before and after, and the events
    expect(cycle!.before.largestFiles[0]).toMatchObject({ path: 'src/big.ts' });
    expect(cycle!.after!.largestFiles[0]!.lines).toBeLessThan(500);
    const json = JSON.parse(readFileSync(report.files.json, 'utf8'));
    expect(json.cycles[0].merge.merged).toEqual([split.branch]);
    expect(events.filter((e) => e.type === 'improve.candidate').map((e) => e.data)).toContainEqual(
      expect.objectContaining({
        candidateId: 'split-file:src/big.ts',
        outcome: 'kept',
        branch: split.branch,
      }),
    );
    expect(events.find((e) => e.type === 'improve.merge')?.data).toMatchObject({
      outcome: 'integrated',
      target: 'main',
    });

    // --merge: the one change to the user's side is main fast-forwarded to the green result
    const merged = await runImprove({ repo: root, pickSkill: skillPicker(), merge: true });
    const m = merged.cycles[0]!.merge!;
    expect(m.target).toMatchObject({ moved: true, from: head, how: 'merge --ff-only' });
    expect(sh(root, 'rev-parse', 'main')).toBe(m.tip);
    expect(sh(root, 'merge-base', '--is-ancestor', head, 'main')).toBe('');
    expect(sh(root, 'status', '--porcelain')).toBe('');
    const final = snapshot(root);
    const changedRefs = userRefs(final.refs).filter((line) => !userRefs(before.refs).includes(line));
    expect(changedRefs).toEqual([`refs/heads/main ${m.tip}`]);
    expect(Math.max(...[...tsLines(root, 'main').values()])).toBeLessThan(500);
    expect(readFileSync(join(root, 'roadmap.md'), 'utf8')).toMatch(/## Done[\s\S]*split-file:src\/big\.ts/);
    expect(readFileSync(join(root, 'improvements.md'), 'utf8')).toMatch(/\d+ → \d+/);
  }, 180_000);
});
