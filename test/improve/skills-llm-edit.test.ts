import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CascadeContext } from '../../src/core/context.js';
import { analyseRepo, type RepoAnalysis } from '../../src/improve/analyse/index.js';
import type { Candidate } from '../../src/improve/plan/index.js';
import {
  agentSkillModel,
  EditRejectedError,
  llmEditSkill,
  ModelRequiredError,
  type SkillModel,
  skillFor,
} from '../../src/improve/skills/index.js';
import { chatCount, chatRequest, type Harness, startHarness } from '../support/harness.js';

const grade = (name: string) =>
  [
    `export function ${name}(score: number): string {`,
    '  if (score >= 90) {',
    "    return 'A';",
    '  } else {',
    '    if (score >= 80) {',
    "      return 'B';",
    '    } else {',
    "      return 'C';",
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');

const simpler = (name: string) =>
  [
    `export function ${name}(score: number): string {`,
    "  if (score >= 90) return 'A';",
    "  if (score >= 80) return 'B';",
    "  return 'C';",
    '}',
    '',
  ].join('\n');

/** A SEARCH/REPLACE reply replacing the function body; `search` decides whether it matches. */
function reply(path: string, search: string, replace: string): string {
  return `Early returns flatten the nested branches.\n\n${path}\n\`\`\`ts\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n\`\`\`\n`;
}

const goodBlock = (path: string, name: string) =>
  reply(path, grade(name).replace(/\n$/, '\n'), simpler(name));
const wrongBlock = (path: string, name: string) =>
  reply(path, `export function ${name}(score: number): number {\n  return score * 2;\n}\n`, simpler(name));

const files = {
  'src/good.ts': grade('gradeGood'),
  'src/retry.ts': grade('gradeRetry'),
  'src/never.ts': grade('gradeNever'),
};

let harness: Harness;
let analysis: RepoAnalysis;
let model: SkillModel;

beforeAll(async () => {
  const improver = parse(readFileSync('examples/agents/improver.yaml', 'utf8')) as Record<string, unknown>;
  harness = await startHarness({
    files,
    agents: { improver: { ...improver, model: 'sim:sim-model' } },
    scenario: {
      name: 'llm-edit',
      models: ['sim-model'],
      defaults: { latencyMs: 0, chunkDelayMs: 0 },
      rules: [
        {
          match: { lastUser: '/Concerns: gradeRetry[\\s\\S]*What went wrong/' },
          reply: { content: goodBlock('src/retry.ts', 'gradeRetry') },
        },
        {
          match: { lastUser: 'Concerns: gradeRetry' },
          reply: { content: wrongBlock('src/retry.ts', 'gradeRetry') },
        },
        {
          match: { lastUser: 'Concerns: gradeNever' },
          reply: { content: wrongBlock('src/never.ts', 'gradeNever') },
        },
        {
          match: { lastUser: 'Concerns: gradeGood' },
          reply: { content: goodBlock('src/good.ts', 'gradeGood') },
        },
      ],
    },
  });
  analysis = await analyseRepo(harness.workspace, { cacheDir: false });
  const ctx = CascadeContext.createRun({ agent: 'improve', task: 'improve', events: harness.runtime.events });
  ctx.emit('run.started', { task: 'improve', tenantId: ctx.tenantId, budget: { ...ctx.ledger.limits } });
  model = agentSkillModel({ runner: harness.runtime.runner, ctx });
});

afterAll(async () => {
  await harness?.close();
});

function simplify(path: string, symbol: string): Candidate {
  return {
    id: `simplify:${path}:1`,
    skill: 'simplify',
    target: { path, startLine: 1, endLine: 11, symbol },
    related: [],
    reason: `${symbol} has nested branches`,
    figures: { complexity: 16 },
    value: 0.5,
    risk: 0.5,
    score: 0.25,
    needsModel: true,
  };
}

const read = (path: string) => readFileSync(join(harness.workspace, path), 'utf8');
const simplifyWithModel = (path: string, name: string) =>
  llmEditSkill.apply({ dir: harness.workspace, candidate: simplify(path, name), analysis, model });

describe('llm-edit skill against the simulator', () => {
  it('applies a good edit and describes it', async () => {
    const before = chatCount(harness.sim);
    const outcome = await simplifyWithModel('src/good.ts', 'gradeGood');
    expect(outcome.changedFiles).toEqual(['src/good.ts']);
    expect(read('src/good.ts')).toBe(simpler('gradeGood'));
    expect(outcome.title).toBe('Simplify gradeGood in src/good.ts');
    expect(outcome.body).toContain('Early returns flatten the nested branches.');
    expect(chatCount(harness.sim) - before).toBe(1);
    // The task shows the code, the repo map and the format, under the improver's instructions.
    const request = chatRequest(harness.sim, chatCount(harness.sim));
    expect(JSON.stringify(request.messages[0]?.content)).toContain('careful senior programmer');
    expect(JSON.stringify(request.messages.at(-1)?.content)).toContain('if (score >= 90) {');
  });

  it('retries once with the closest lines when a block matches nothing, then applies the correction', async () => {
    const before = chatCount(harness.sim);
    const outcome = await simplifyWithModel('src/retry.ts', 'gradeRetry');
    expect(outcome.changedFiles).toEqual(['src/retry.ts']);
    expect(read('src/retry.ts')).toBe(simpler('gradeRetry'));
    expect(chatCount(harness.sim) - before).toBe(2);
    const retry = JSON.stringify(chatRequest(harness.sim, chatCount(harness.sim)).messages.at(-1)?.content);
    expect(retry).toContain('What went wrong');
    expect(retry).toContain('Did you mean');
  });

  it('rejects a block that never matches with the reason, leaving the tree unchanged', async () => {
    const before = chatCount(harness.sim);
    const error = await simplifyWithModel('src/never.ts', 'gradeNever').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EditRejectedError);
    const rejected = error as EditRejectedError;
    expect(rejected.reason).toMatch(/did not apply/);
    expect(rejected.failures[0]?.problem).toBe('no-match');
    expect(rejected.feedback).toContain('src/never.ts');
    expect(rejected.reply).toContain('return score * 2');
    expect(read('src/never.ts')).toBe(files['src/never.ts']);
    expect(chatCount(harness.sim) - before).toBe(2);
  });

  it('needs a model, and skillFor offers it only when one is configured', async () => {
    const candidate = simplify('src/good.ts', 'gradeGood');
    const error = await llmEditSkill
      .apply({ dir: harness.workspace, candidate, analysis })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelRequiredError);
    expect(skillFor(candidate, { modelAvailable: false })).toBeUndefined();
    expect(skillFor(candidate, { modelAvailable: true })?.name).toBe('llm-edit');
    const split: Candidate = {
      ...candidate,
      id: 'split-file:src/big.ts',
      skill: 'split-file',
      target: { path: 'src/big.ts' },
    };
    expect(skillFor(split, { modelAvailable: false })?.name).toBe('split-file');
    expect(skillFor(split, { modelAvailable: true, only: ['llm-edit'] })?.name).toBe('llm-edit');
    expect(skillFor({ ...split, target: { path: 'big.py' } }, { modelAvailable: false })).toBeUndefined();
  });
});
