import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SkillNotApplicableError } from '../../src/improve/codemods/errors.js';
import { lazyLoadImport } from '../../src/improve/codemods/lazy-load/lazy-load.js';
import { tempProjects } from './temp-projects.js';

const heavy = [
  "console.log('heavy loaded');",
  'export function crunch(n: number): number {',
  '  return n * 2;',
  '}',
  'export default class Engine {',
  '  run(): string {',
  "    return 'ran';",
  '  }',
  '}',
  'export interface Options {',
  '  fast: boolean;',
  '}',
  '',
].join('\n');

const cli = [
  "import Engine, { crunch, type Options } from './heavy.js';",
  '',
  'export async function compute(n: number, o?: Options): Promise<number> {',
  '  return crunch(n) + (o?.fast ? 1 : 0);',
  '}',
  '',
  'export const start = async (): Promise<string> => new Engine().run();',
  '',
  'export async function many(xs: number[]): Promise<number[]> {',
  '  return xs.map((x) => crunch(x));',
  '}',
  '',
].join('\n');

const temp = tempProjects('lazy');
function project(files: Record<string, string>): string {
  return temp(
    {
      'package.json': JSON.stringify({ name: 'lazy-fixture', type: 'module' }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          target: 'es2022',
          outDir: 'dist',
          verbatimModuleSyntax: true,
          noUnusedLocals: true,
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['src'],
      }),
      'src/heavy.ts': heavy,
      'src/main.ts': [
        "import { compute, many, start } from './cli.js';",
        "console.log('started');",
        "if (process.argv[2] === 'run') console.log(await compute(2, { fast: true }), await start(), await many([1, 2]));",
        '',
      ].join('\n'),
      ...files,
    },
    { nodeModules: true },
  );
}

function build(dir: string): (...args: string[]) => string {
  try {
    execFileSync(resolve('node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`tsc failed:\n${(error as { stdout?: string }).stdout}`);
  }
  return (...args) =>
    execFileSync(process.execPath, [join(dir, 'dist/main.js'), ...args], { encoding: 'utf8' });
}

describe('lazy-load codemod', () => {
  it('moves an import into the async functions that use it: start-up stops loading it, results stay the same', async () => {
    const dir = project({ 'src/cli.ts': cli });
    const original = build(dir);
    expect(original()).toBe('heavy loaded\nstarted\n');
    const ran = original('run');

    const result = await lazyLoadImport(dir, 'src/cli.ts', './heavy.js', 1);
    expect(result.changedFiles).toEqual(['src/cli.ts']);
    const text = readFileSync(join(dir, 'src/cli.ts'), 'utf8');
    expect(text).toContain("import type { Options } from './heavy.js';");
    expect(text).toContain("const { crunch } = await import('./heavy.js');");
    expect(text).toContain("const { default: Engine } = await import('./heavy.js');");
    expect(result.title).toBe('Load ./heavy.js lazily in src/cli.ts');

    const changed = build(dir);
    expect(changed()).toBe('started\n');
    // Same results; the module now loads when first used, after start-up.
    expect(ran).toBe('heavy loaded\nstarted\n5 ran [ 2, 4 ]\n');
    expect(changed('run')).toBe('started\nheavy loaded\n5 ran [ 2, 4 ]\n');
  }, 120_000);

  it.each([
    [
      'a function that is not async',
      "import { crunch } from './heavy.js';\nexport function f(n: number): number {\n  return crunch(n);\n}\n",
      /crunch \(line 3\) is used in a function that is not async/,
    ],
    [
      'module level',
      "import { crunch } from './heavy.js';\nexport const two = crunch(1);\n",
      /crunch \(line 2\) is used at module level/,
    ],
    [
      'a re-export',
      "import { crunch } from './heavy.js';\nexport { crunch };\nexport async function f(): Promise<number> {\n  return crunch(1);\n}\n",
      /re-exported/,
    ],
    [
      'a class extends',
      "import Engine from './heavy.js';\nexport async function f(): Promise<string> {\n  class Fast extends Engine {}\n  return new Fast().run();\n}\n",
      /extended by a class/,
    ],
  ])('refuses a use in %s, writing nothing', async (_label, source, reason) => {
    const dir = project({ 'src/cli.ts': source });
    const error = await lazyLoadImport(dir, 'src/cli.ts', './heavy.js').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SkillNotApplicableError);
    expect((error as SkillNotApplicableError).reason).toMatch(reason);
    expect(readFileSync(join(dir, 'src/cli.ts'), 'utf8')).toBe(source);
  });

  it('refuses a file with a syntax error', async () => {
    const dir = project({ 'src/cli.ts': `${cli}export async function broken( {\n` });
    const error = await lazyLoadImport(dir, 'src/cli.ts', './heavy.js').catch((e: unknown) => e);
    expect((error as SkillNotApplicableError).reason).toMatch(/syntax error at line 13/);
  });
});
