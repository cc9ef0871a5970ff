import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '../../src/core/events.js';
import { EventBus } from '../../src/core/events.js';
import type { ImproveOptions } from '../../src/improve/pipeline/options.js';
import { runImprove } from '../../src/improve/pipeline/run-improve.js';
import { listWorktrees, NotAGitRepoError } from '../../src/improve/worktree/index.js';
import { improveFixtureFiles, type ScriptedEdit, scriptedSkill } from '../support/improve-fixture.js';
import { makeGitRepo, removeRepo, sh, snapshot, userRefs } from '../support/improve-repo.js';

const repos: string[] = [];
afterEach(() => {
  for (const root of repos.splice(0)) removeRepo(root);
});

function repoWith(files: Record<string, string>): string {
  const root = makeGitRepo(files, { linkNodeModules: true });
  repos.push(root);
  return root;
}

function options(repo: string, edit: ScriptedEdit, extra: Partial<ImproveOptions> = {}): ImproveOptions {
  const skill = scriptedSkill(edit);
  return {
    repo,
    pickSkill: (candidate) => (skill.handles(candidate) ? skill : undefined),
    commandTimeoutMs: 60_000,
    ...extra,
  };
}

const big = (text: string) => (c: { id: string }) =>
  c.id === 'split-file:src/big.ts' ? { 'src/big.ts': text } : undefined;

describe('swarm improve: bad input and faults', () => {
  it('refuses a path that is not a git repository', async () => {
    const root = makeGitRepo({});
    repos.push(root);
    const plain = join(root, '..', `${root.split('/').at(-1)}-plain`);
    repos.push(plain);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(plain);
    await expect(runImprove(options(plain, () => undefined))).rejects.toBeInstanceOf(NotAGitRepoError);
  });

  it('keeps nothing in a repository with no tests unless --no-tests, and says so', async () => {
    const root = repoWith(improveFixtureFiles({ testScript: null }));
    const source = readFileSync(join(root, 'src/big.ts'), 'utf8');
    const edit = big(`${source}\nexport const added = 1;\n`);
    const refused = await runImprove(options(root, edit));
    const [cycle] = refused.cycles;
    expect(cycle!.results.find((r) => r.candidateId === 'split-file:src/big.ts')).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/no test command.*--no-tests/),
    });
    expect(readFileSync(refused.files.markdown, 'utf8')).toMatch(/no test command/);
    expect(sh(root, 'branch', '--list', 'swarm/*', '--format=%(refname:short)')).toMatch(/integration/);

    const allowed = await runImprove(options(root, edit, { noTests: true }));
    expect(allowed.cycles[0]!.results.find((r) => r.candidateId === 'split-file:src/big.ts')).toMatchObject({
      outcome: 'kept',
    });
    const md = readFileSync(allowed.files.markdown, 'utf8');
    expect(md).toMatch(/kept with `--no-tests`/);
    const tip = allowed.cycles[0]!.merge!.tip;
    expect(sh(root, 'show', `${tip}:improvements.md`)).toMatch(/--no-tests/);
  }, 120_000);

  it('kills a hanging test command at its timeout and rolls the candidate back', async () => {
    const root = repoWith(improveFixtureFiles());
    const source = readFileSync(join(root, 'src/big.ts'), 'utf8');
    const hang = source.replace(
      'export function alpha0(value: number): number {',
      'export function alpha0(value: number): number {\n  for (;;) {}',
    );
    const events: AnyEvent[] = [];
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));
    const report = await runImprove(options(root, big(hang), { commandTimeoutMs: 4_000 }), bus);
    const result = report.cycles[0]!.results.find((r) => r.candidateId === 'split-file:src/big.ts')!;
    expect(result.outcome).toBe('rolled_back');
    expect(result.reason).toMatch(/test: the test command hung: killed at its timeout/);
    expect(sh(root, 'branch', '--list', 'swarm/*/split-file*')).toBe('');
    expect((await listWorktrees(root)).map((w) => w.dir)).toEqual([root]);
    expect(
      events.find((e) => e.type === 'improve.candidate' && e.data.candidateId === 'split-file:src/big.ts'),
    ).toMatchObject({
      data: { candidateId: 'split-file:src/big.ts', outcome: 'rolled_back', skill: 'split-file' },
    });
  }, 120_000);

  it('drops the second of two kept branches that conflict, and merges the first', async () => {
    const root = repoWith(improveFixtureFiles());
    const before = snapshot(root);
    const edit: ScriptedEdit = (c) => {
      if (c.id === 'split-file:src/big.ts')
        return {
          'src/index.ts': "export { alpha0 } from './big.js';\nexport { orderTotal } from './orders.js';\n",
        };
      if (c.id.startsWith('extract-duplicate:'))
        return {
          'src/index.ts':
            "export { beta0, gamma0 } from './big.js';\nexport { orderTotal } from './orders.js';\n",
        };
      return undefined;
    };
    const report = await runImprove(options(root, edit));
    const [cycle] = report.cycles;
    const kept = cycle!.results.filter((r) => r.outcome === 'kept');
    expect(kept).toHaveLength(2);
    const merge = cycle!.merge!;
    expect(merge.merged).toHaveLength(1);
    expect(merge.dropped).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/conflicts .* src\/index\.ts/) }),
    ]);
    expect(merge.target).toMatchObject({ moved: false });
    const roadmap = sh(root, 'show', `${merge.tip}:roadmap.md`);
    expect(roadmap).toMatch(/## Dropped[\s\S]*conflicts/);
    expect(roadmap).toMatch(/## In progress[\s\S]*waiting for --merge/);
    // without --merge, the user's files and branches are exactly as they were
    const after = snapshot(root);
    expect(after.files).toEqual(before.files);
    expect(userRefs(after.refs)).toEqual(userRefs(before.refs));
    expect(existsSync(join(root, 'roadmap.md'))).toBe(false);
  }, 120_000);
});
