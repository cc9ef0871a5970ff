import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Candidate } from '../../src/improve/plan/index.js';
import type { Skill, SkillOutcome } from '../../src/improve/skills/index.js';
import { tsBlock } from '../improve/fixture-repo.js';

/**
 * A group of small functions that call each other: one cohesive module's
 * worth of code, `count × 5` lines.
 */
function group(prefix: string, count: number): string {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const next = k + 1 < count ? `${prefix}${k + 1}(value + 1)` : 'value';
    out.push(
      `export function ${prefix}${k}(value: number): number {`,
      `  if (value > ${1000 + k}) return value;`,
      `  return ${next};`,
      '}',
      '',
    );
  }
  return out.join('\n');
}

export interface FixtureOptions {
  /** The package.json test script; omitted: a repository with no tests. */
  testScript?: string | null;
}

/**
 * A TypeScript project as the issue describes it: a 900-line file of three
 * cohesive groups of functions (a split candidate), one block duplicated
 * across two files, and tests that pass, run by node's own test runner
 * through tsx (fast: well under a second).
 */
export function improveFixtureFiles(options: FixtureOptions = {}): Record<string, string> {
  const big = [
    '// Three families of helpers that grew in one file.',
    '',
    group('alpha', 60),
    group('beta', 60),
    group('gamma', 59),
  ].join('\n');
  const testScript =
    options.testScript === undefined
      ? 'node --import tsx --test test/big.test.ts test/orders.test.ts'
      : options.testScript;
  return {
    'package.json': `${JSON.stringify({ name: 'fixture', private: true, type: 'module', ...(testScript ? { scripts: { test: testScript } } : {}) }, null, 2)}\n`,
    'src/big.ts': big,
    'src/orders.ts': `${tsBlock('orderTotal')}\n`,
    'src/invoices.ts': `${tsBlock('invoiceTotal')}\n`,
    'src/index.ts':
      "export { alpha0, beta0, gamma0 } from './big.js';\nexport { orderTotal } from './orders.js';\n",
    ...(testScript
      ? {
          'test/big.test.ts': [
            "import assert from 'node:assert/strict';",
            "import { test } from 'node:test';",
            "import { alpha0, beta3, gamma58 } from '../src/big.js';",
            '',
            "test('alpha climbs to its bound', () => {",
            '  assert.equal(alpha0(0), 59);',
            '});',
            '',
            "test('beta and gamma', () => {",
            '  assert.equal(beta3(2000), 2000);',
            '  assert.equal(gamma58(1), 1);',
            '});',
            '',
          ].join('\n'),
          'test/orders.test.ts': [
            "import assert from 'node:assert/strict';",
            "import { test } from 'node:test';",
            "import { invoiceTotal } from '../src/invoices.js';",
            "import { orderTotal } from '../src/orders.js';",
            '',
            "test('totals agree', () => {",
            '  const orders = [{ price: 2, qty: 3 }, { price: 1, qty: 0 }];',
            '  assert.equal(orderTotal(orders, 0.1), 5.4);',
            '  assert.equal(invoiceTotal(orders, 0.1), 5.4);',
            '});',
            '',
          ].join('\n'),
        }
      : {}),
  };
}

/** What a scripted skill writes for a candidate: file contents by path, or undefined to leave it to other skills. */
export type ScriptedEdit = (candidate: Candidate) => Record<string, string> | undefined;

/**
 * A deterministic skill for tests of the pipeline around skills: it writes
 * the files a script gives for a candidate. It goes through the same
 * transaction, gates, review and merge as the real skills.
 */
export function scriptedSkill(edit: ScriptedEdit): Skill {
  return {
    name: 'split-file',
    needsModel: false,
    handles: (candidate) => edit(candidate) !== undefined,
    async apply({ dir, candidate }): Promise<SkillOutcome> {
      const files = edit(candidate) ?? {};
      for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
      return {
        changedFiles: Object.keys(files),
        title: `Scripted change for ${candidate.id}`,
        body: 'Written by the test script.',
      };
    },
  };
}

/** A model reply in Aider's SEARCH/REPLACE format: one block replacing `search` with `replace` in `path`. */
export function searchReplaceReply(path: string, search: string, replace: string): string {
  return `One home for the shared code.\n\n${path}\n\`\`\`ts\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n\`\`\`\n`;
}
