import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Candidate, type DryRunResult, dryRun, planImprovements } from '../../src/improve/index.js';
import { makeRepo, manyFunctions, tsBlock } from './fixture-repo.js';

const complexFunction = [
  'export function route(kind: string, n: number, flags: { a?: boolean; b?: boolean }): string {',
  ...Array.from({ length: 18 }, (_, k) => `  if (kind === 'k${k}' && n > ${k}) return 'r${k}';`),
  "  return flags.a || flags.b ? 'flag' : 'none';",
  '}',
].join('\n');

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture', bin: { fx: 'dist/cli.js' } }),
  // Start-up path: the entry (built to dist/cli.js) and what it imports at load time.
  'src/cli.ts': [
    "import { render } from 'heavy-pkg';",
    "import { tiny } from 'tiny-pkg';",
    "import { setup } from './setup.js';",
    '',
    'setup();',
    '',
    'export function main(args: string[]): string {',
    '  return render(tiny(args));',
    '}',
  ].join('\n'),
  'src/setup.ts': "import { f0 } from './big.js';\n\nexport function setup(): number {\n  return f0(1);\n}\n",
  'src/big.ts': manyFunctions('f', 160),
  'src/a.ts': `${tsBlock('totalA')}\n`,
  'src/b.ts': `${tsBlock('totalB')}\n`,
  'src/complex.ts': `${complexFunction}\n`,
  'node_modules/heavy-pkg/index.js': `module.exports = { render: (x) => x };\n// ${'x'.repeat(300 * 1024)}\n`,
  'node_modules/tiny-pkg/index.js': 'module.exports = { tiny: (x) => x };\n',
  // Python start-up: __main__ imports a large module it only uses inside a function.
  'tool/__main__.py': 'from .engine import crunch\n\ndef run():\n    return crunch(1)\n',
  'tool/engine.py': Array.from(
    { length: 150 },
    (_, k) => `def crunch${k === 0 ? '' : k}(x):\n    return x + ${k}\n`,
  ).join('\n'),
};

let root: string;
let result: DryRunResult;

beforeAll(async () => {
  root = await makeRepo(FILES);
  result = await dryRun(root, { analyse: { cacheDir: false }, plan: { heavyLines: 200 } });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const bySkill = (skill: Candidate['skill']) => result.plan.candidates.filter((c) => c.skill === skill);

describe('planImprovements', () => {
  it('proposes splitting the file over the threshold, with a codemod', () => {
    const [split] = bySkill('split-file');
    expect(bySkill('split-file')).toHaveLength(1);
    expect(split).toMatchObject({
      id: 'split-file:src/big.ts',
      needsModel: false,
      target: { path: 'src/big.ts' },
    });
    expect(split?.figures.lines).toBe(result.analysis.files.find((f) => f.path === 'src/big.ts')?.lines);
    expect(split?.figures.threshold).toBe(500);
    expect(split?.reason).toMatch(/src\/big\.ts has \d+ lines, over the 500-line threshold/);
  });

  it('proposes extracting the duplicate, naming both copies', () => {
    const [dup] = bySkill('extract-duplicate');
    expect(dup?.target.path).toBe('src/a.ts');
    expect(dup?.related.map((r) => r.path)).toEqual(['src/b.ts']);
    expect(dup?.figures).toMatchObject({ copies: 2, files: 2 });
    expect(dup?.needsModel).toBe(true);
  });

  it('proposes lazy-loading only heavy imports used inside functions on the start-up path', () => {
    const lazy = bySkill('lazy-load');
    const found = Object.fromEntries(lazy.map((c) => [`${c.target.path} ${c.target.symbol}`, c]));
    // tiny-pkg is too small, ./setup.js is used at load time (setup()); big.ts is reached through setup.ts.
    expect(Object.keys(found).sort()).toEqual([
      'src/cli.ts heavy-pkg',
      'src/setup.ts ./big.js',
      'tool/__main__.py .engine',
    ]);
    expect(found['src/cli.ts heavy-pkg']?.figures.packageBytes).toBeGreaterThan(300 * 1024);
    expect(found['src/cli.ts heavy-pkg']?.needsModel).toBe(false);
    const lines = (path: string) => result.analysis.files.find((f) => f.path === path)?.lines;
    expect(found['src/setup.ts ./big.js']?.figures.closureLines).toBe(lines('src/big.ts'));
    expect(found['tool/__main__.py .engine']?.figures.closureLines).toBe(lines('tool/engine.py'));
    expect(found['tool/__main__.py .engine']?.needsModel).toBe(true);
  });

  it('proposes simplifying the most complex function, with its complexity', () => {
    const [simplify] = bySkill('simplify');
    // 1 + 18 ifs + 18 && + || + ternary
    expect(simplify?.figures.complexity).toBe(39);
    expect(simplify?.target).toMatchObject({ path: 'src/complex.ts', startLine: 1, symbol: 'route' });
  });

  it('ranks by score, filters by skill and cuts at max, the same way every time', async () => {
    const scores = result.plan.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const c of result.plan.candidates) expect(c.score).toBeCloseTo(c.value * (1 - c.risk), 10);
    const only = await planImprovements(result.analysis, {
      skills: ['simplify', 'split-file'],
      max: 1,
      heavyLines: 200,
    });
    expect(only.found).toBe(2);
    expect(only.candidates).toHaveLength(1);
    expect(only.candidates[0]?.id).toBe(
      [...bySkill('simplify'), ...bySkill('split-file')].sort((a, b) => b.score - a.score)[0]?.id,
    );
    const again = await planImprovements(result.analysis, { heavyLines: 200 });
    expect(again.candidates).toEqual(result.plan.candidates);
  });

  it('renders the plan as Markdown', () => {
    expect(result.markdown).toContain(`# Improvement plan for ${root}`);
    expect(result.markdown).toContain('| # | skill | target | reason | value | risk | score | model |');
    expect(result.markdown).toContain('| split-file | src/big.ts:1-');
    expect(result.markdown.split('\n').filter((line) => /^\| \d+ \|/.test(line))).toHaveLength(
      result.plan.candidates.length,
    );
  });
});
