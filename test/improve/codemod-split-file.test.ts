import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseRepo } from '../../src/improve/analyse/index.js';
import { SkillNotApplicableError } from '../../src/improve/codemods/errors.js';
import { splitFile } from '../../src/improve/codemods/split-file/split-file.js';
import { splitFixture } from './split-fixture.js';
import { tempProjects } from './temp-projects.js';

const temp = tempProjects('split');
const project = (files: Record<string, string>) => temp(files, { nodeModules: true });

/** Compiles with the real tsc (throws with its errors if any) and runs the entry point. */
function buildAndRun(dir: string): string {
  try {
    execFileSync(resolve('node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`tsc failed:\n${(error as { stdout?: string }).stdout}`);
  }
  return execFileSync(process.execPath, [join(dir, 'dist/main.js')], { encoding: 'utf8' });
}

const lines = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

describe('split-file codemod', () => {
  it('splits a 900-line file into modules under 500 lines behind a facade that keeps its importer compiling and behaving', async () => {
    const dir = project(splitFixture());
    const original = readFileSync(join(dir, 'src/big.ts'), 'utf8');
    expect(lines(original)).toBeGreaterThan(900);
    const before = buildAndRun(dir);
    rmSync(join(dir, 'dist'), { recursive: true });

    const analysis = await analyseRepo(dir, { cacheDir: false });
    const result = await splitFile(dir, 'src/big.ts', analysis, { maxLines: 500 });

    const modules = readdirSync(join(dir, 'src/big')).sort();
    expect(modules.length).toBeGreaterThanOrEqual(2);
    expect(result.changedFiles.sort()).toEqual(['src/big.ts', ...modules.map((m) => `src/big/${m}`)].sort());
    for (const m of modules)
      expect(lines(readFileSync(join(dir, 'src/big', m), 'utf8'))).toBeLessThanOrEqual(500);
    const facade = readFileSync(join(dir, 'src/big.ts'), 'utf8');
    expect(lines(facade)).toBeLessThan(40);
    expect(facade).toContain("from './big/");
    expect(facade).toMatch(/export type \{[^}]*Token/);
    expect(facade).toContain('default');
    // Names follow the main declarations; the shared helper is exported from its module but not from the facade.
    expect(modules).toEqual(expect.arrayContaining(['tokenize.ts', 'parse.ts', 'format.ts']));
    expect(facade).not.toMatch(/\bclamp\b/);
    expect(facade).toContain('helperImpl as publicHelper');
    expect(result.title).toMatch(/^Split src\/big\.ts \(\d+ lines\) into \d+ modules/);

    expect(buildAndRun(dir)).toBe(before);
  }, 120_000);

  it("formats the new files with the repository's Biome, so its check stays clean", async () => {
    const dir = project({
      ...splitFixture(),
      'biome.json': JSON.stringify({ linter: { enabled: false } }),
    });
    const biome = (...args: string[]) =>
      execFileSync(resolve('node_modules/.bin/biome'), args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    biome('check', '--write', 'src');
    const result = await splitFile(dir, 'src/big.ts', await analyseRepo(dir, { cacheDir: false }));
    expect(result.body).toContain("formatted with the repository's biome");
    expect(() => biome('check', 'src')).not.toThrow();
    for (const path of result.changedFiles)
      expect(lines(readFileSync(join(dir, path), 'utf8'))).toBeLessThanOrEqual(500);
  }, 120_000);

  it('keeps extensionless specifiers and a namespace import of the file itself working', async () => {
    const fns = Array.from(
      { length: 30 },
      (_, i) =>
        `export function f${i}(t: Self.Thing): number {\n${'  t.n += 1;\n'.repeat(18)}  return t.n + ${i};\n}\n`,
    );
    const dir = project({
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'esnext',
          moduleResolution: 'bundler',
          noEmit: true,
          types: [],
        },
        include: ['src'],
      }),
      'src/big.ts': [
        "import * as Self from './big';",
        '',
        'export interface Thing {\n  n: number;\n}',
        '',
        ...fns,
      ].join('\n'),
      'src/use.ts':
        "import { f0, f29, type Thing } from './big';\nconst t: Thing = { n: 1 };\nexport const r = f0(t) + f29(t);\n",
    });
    const result = await splitFile(dir, 'src/big.ts', await analyseRepo(dir, { cacheDir: false }));
    expect(result.changedFiles.length).toBeGreaterThan(2);
    const modules = result.changedFiles.slice(1).map((path) => readFileSync(join(dir, path), 'utf8'));
    const users = modules.filter((text) => text.includes('Self.Thing'));
    expect(users.length).toBeGreaterThan(0);
    for (const text of users) expect(text).toContain("import * as Self from '../big';");
    expect(() =>
      execFileSync(resolve('node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8', stdio: 'pipe' }),
    ).not.toThrow();
  }, 120_000);

  it('refuses a file with a syntax error, with the line, and writes nothing', async () => {
    const files = splitFixture();
    files['src/big.ts'] = files['src/big.ts']!.replace(
      'function clamp(n: number',
      'function clamp(n: number,,',
    );
    const dir = project(files);
    const analysis = await analyseRepo(dir, { cacheDir: false });
    const error = await splitFile(dir, 'src/big.ts', analysis).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SkillNotApplicableError);
    expect((error as SkillNotApplicableError).reason).toMatch(/syntax error at line \d+/);
    expect(readFileSync(join(dir, 'src/big.ts'), 'utf8')).toBe(files['src/big.ts']);
    expect(readdirSync(join(dir, 'src'))).not.toContain('big');
  });

  it('refuses top-level code that runs before later declarations', async () => {
    const body = Array.from(
      { length: 30 },
      (_, i) => `export function f${i}(): number {\n${'  void 0;\n'.repeat(20)}  return ${i};\n}\n`,
    );
    body.splice(10, 0, 'console.log(f1());\n');
    const dir = project({ 'src/order.ts': body.join('\n') });
    const error = await splitFile(dir, 'src/order.ts', await analyseRepo(dir, { cacheDir: false })).catch(
      (e: unknown) => e,
    );
    expect((error as SkillNotApplicableError).reason).toMatch(/runs code at load time before declarations/);
  });

  it('refuses when one declaration alone exceeds the threshold', async () => {
    const big = `export function huge(n: number): number {\n${'  n += 1;\n'.repeat(560)}  return n;\n}\n`;
    const small = Array.from(
      { length: 10 },
      (_, i) => `export function s${i}(): number {\n  return huge(${i});\n}\n`,
    );
    const dir = project({ 'src/huge.ts': [big, ...small].join('\n') });
    const error = await splitFile(dir, 'src/huge.ts', await analyseRepo(dir, { cacheDir: false })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SkillNotApplicableError);
    expect((error as SkillNotApplicableError).reason).toMatch(/its declaration huge alone has 56\d lines/);
  });
});
