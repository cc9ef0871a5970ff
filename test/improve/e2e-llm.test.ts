import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ModelFactory } from '../../src/improve/pipeline/options.js';
import { runImprove } from '../../src/improve/pipeline/run-improve.js';
import { skillPicker } from '../../src/improve/pipeline/skill-picker.js';
import { agentSkillModel } from '../../src/improve/skills/index.js';
import { chatCount, type Harness, startHarness } from '../support/harness.js';
import { improveFixtureFiles, searchReplaceReply } from '../support/improve-fixture.js';
import { makeGitRepo, removeRepo, sh, snapshot, userRefs } from '../support/improve-repo.js';

/** A second duplicated block, in two more files: the candidate the bad edit is about. */
const weight = (name: string) =>
  [
    `export function ${name}(items: Array<{ grams: number; count: number }>): number {`,
    '  let total = 0;',
    '  for (const item of items) {',
    '    if (item.count <= 0) continue;',
    '    total += item.grams * item.count;',
    '  }',
    '  const kilos = total / 1000;',
    '  const rounded = Math.round(kilos * 10) / 10;',
    '  if (rounded < 0) return 0;',
    '  return rounded;',
    '}',
    '',
  ].join('\n');

let harness: Harness;
let repo: string;

beforeAll(async () => {
  const fixture = improveFixtureFiles({
    testScript: 'node --import tsx --test test/big.test.ts test/orders.test.ts test/weights.test.ts',
  });
  repo = makeGitRepo(
    {
      ...fixture,
      'src/shipping.ts': weight('shippingWeight'),
      'src/returns.ts': weight('returnsWeight'),
      'test/weights.test.ts': [
        "import assert from 'node:assert/strict';",
        "import { test } from 'node:test';",
        "import { returnsWeight } from '../src/returns.js';",
        "import { shippingWeight } from '../src/shipping.js';",
        '',
        "test('weights agree', () => {",
        '  const items = [{ grams: 1500, count: 2 }];',
        '  assert.equal(shippingWeight(items), 3);',
        '  assert.equal(returnsWeight(items), 3);',
        '});',
        '',
      ].join('\n'),
    },
    { linkNodeModules: true },
  );
  const invoice = fixture['src/invoices.ts']!;
  const good = searchReplaceReply(
    'src/invoices.ts',
    invoice,
    "import { orderTotal } from './orders.js';\n\nexport function invoiceTotal(orders: Array<{ price: number; qty: number }>, discount: number): number {\n  return orderTotal(orders, discount);\n}\n",
  );
  // Applies cleanly, and changes behaviour: the test gate must catch it.
  const bad = searchReplaceReply(
    'src/returns.ts',
    '  if (rounded < 0) return 0;\n  return rounded;\n',
    '  return rounded + 1;\n',
  );
  const manifest = (file: string) => ({
    ...(parse(readFileSync(join('examples/agents', file), 'utf8')) as Record<string, unknown>),
    model: 'sim:sim-model',
  });
  harness = await startHarness({
    agents: { improver: manifest('improver.yaml'), 'improve-reviewer': manifest('improve-reviewer.yaml') },
    scenario: {
      name: 'improve-llm',
      models: ['sim-model'],
      defaults: { latencyMs: 0, chunkDelayMs: 0 },
      rules: [
        {
          name: 'reviewer',
          match: { system: 'You review one change' },
          reply: { content: '{"approve": true, "reason": "the copies now share one function"}' },
        },
        {
          name: 'good-edit',
          match: { lastUser: 'Why: src/(invoices|orders)\\.ts' },
          reply: { content: good },
        },
        {
          name: 'bad-edit',
          match: { lastUser: 'Why: src/(returns|shipping)\\.ts' },
          reply: { content: bad },
        },
      ],
    },
  });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  if (repo) removeRepo(repo);
});

describe('swarm improve end to end, with scripted model replies', () => {
  it('keeps the good edit, rolls back the bad one, and the merge lands only the good one', async () => {
    const head = sh(repo, 'rev-parse', 'main');
    const before = snapshot(repo);
    const model: ModelFactory = (purpose, _candidateId, ctx) =>
      agentSkillModel({
        runner: harness.runtime.runner,
        ctx,
        agent: purpose === 'edit' ? 'improver' : 'improve-reviewer',
      });
    const report = await runImprove(
      { repo, pickSkill: skillPicker(), model, merge: true, skills: ['extract-duplicate'], workers: 2 },
      harness.runtime.events,
    );
    const [cycle] = report.cycles;
    const byTarget = (re: RegExp) => cycle!.results.find((r) => re.test(r.candidateId))!;
    const good = byTarget(/^extract-duplicate:src\/(invoices|orders)\.ts/);
    const bad = byTarget(/^extract-duplicate:src\/(returns|shipping)\.ts/);
    expect(good).toMatchObject({ outcome: 'kept', skill: 'llm-edit' });
    expect(good.review).toMatchObject({ approved: true, by: ['rules', 'model'] });
    expect(bad).toMatchObject({ outcome: 'rolled_back', skill: 'llm-edit' });
    expect(bad.reason).toMatch(/^test: 1 test\(s\) that passed at baseline now fail/);
    expect(
      sh(
        repo,
        'branch',
        '--list',
        'swarm/*/extract-duplicate-src-returns*',
        'swarm/*/extract-duplicate-src-shipping*',
      ),
    ).toBe('');
    // edits and reviews went through the simulator: two edits, one review
    expect(chatCount(harness.sim)).toBe(3);

    const merge = cycle!.merge!;
    expect(merge.merged).toEqual([good.branch]);
    expect(merge.target).toMatchObject({ moved: true, from: head });
    expect(sh(repo, 'rev-parse', 'main')).toBe(merge.tip);
    expect(readFileSync(join(repo, 'src/invoices.ts'), 'utf8')).toMatch(
      /return orderTotal\(orders, discount\);/,
    );
    expect(readFileSync(join(repo, 'src/returns.ts'), 'utf8')).toBe(weight('returnsWeight'));
    const after = snapshot(repo);
    const changedFiles = Object.keys({ ...before.files, ...after.files })
      .filter((path) => before.files[path] !== after.files[path])
      .sort();
    expect(changedFiles).toEqual(['docs/context.md', 'improvements.md', 'roadmap.md', 'src/invoices.ts']);
    expect(userRefs(after.refs).filter((l) => !userRefs(before.refs).includes(l))).toEqual([
      `refs/heads/main ${merge.tip}`,
    ]);
    // the run, its model calls and its improve events are in the run store
    harness.runtime.store.flush();
    const run = harness.runtime.store.listRuns().find((r) => r.id === report.runId);
    expect(run).toMatchObject({ agent: 'improve', status: 'succeeded' });
    const types = harness.runtime.store.events(report.runId).map((e) => e.type);
    expect(types.filter((t) => t === 'improve.candidate')).toHaveLength(2);
    expect(types).toContain('improve.merge');
    expect(types.filter((t) => t === 'model.call')).toHaveLength(3);
    const roadmap = readFileSync(join(repo, 'roadmap.md'), 'utf8');
    expect(roadmap).toMatch(
      /## Done[\s\S]*extract-duplicate:src\/(invoices|orders)[\s\S]*## Dropped[\s\S]*extract-duplicate:src\/(returns|shipping)[\s\S]*now fail/,
    );
  }, 180_000);
});
