import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRepo, type RepoAnalysis, repoMap } from '../../src/improve/index.js';
import { WorkspaceRootError } from '../../src/tools/index.js';
import { makeRepo, tsBlock } from './fixture-repo.js';

/**
 * A small polyglot repository: TypeScript with a clone pair and an import
 * cycle, Python with a relative import, a Go module, a file with a syntax
 * error, and the things to skip (dependencies, build output, a binary, a
 * minified bundle, an oversized file).
 */
const FILES: Record<string, string | Uint8Array> = {
  'package.json': JSON.stringify({ name: 'fixture', scripts: { test: 'vitest run', lint: 'biome check .' } }),
  'src/orders.ts': `import { audit } from './audit.js';\n\n${tsBlock('orderTotal')}\n\nexport const seen = audit('orders');\n`,
  'src/invoices.ts': `// Invoices compute their totals the same way orders do.\n${tsBlock('invoiceTotal')}\n`,
  'src/audit.ts':
    "import { seen } from './orders.js';\n\nexport function audit(name: string): string {\n  return `${name}:${seen}`;\n}\n",
  'src/broken.ts': 'export const ok = 1;\nexport function half(a: number) {\n  return a > 2 ? a / 2 : ;\n}\n',
  'tools/report.py': [
    'from .helpers import fmt',
    '',
    'def summarise(rows, limit):',
    '    if not rows or limit <= 0:',
    '        return ""',
    '    return fmt([r for r in rows if r][:limit])',
    '',
  ].join('\n'),
  'tools/helpers.py': 'def fmt(rows):\n    return ", ".join(str(r) for r in rows)\n',
  'go.mod': 'module example.com/fixture\n\ngo 1.22\n',
  'cmd/main.go':
    'package main\n\nimport "example.com/fixture/calc"\n\nfunc main() { println(calc.Double(2)) }\n',
  'calc/calc.go':
    'package calc\n\nfunc Double(n int) int {\n\tif n < 0 {\n\t\treturn 0\n\t}\n\treturn n * 2\n}\n',
  'node_modules/dep/index.js': 'module.exports = 1;\n',
  'dist/orders.js': 'export const compiled = true;\n',
  'assets/logo.js': new Uint8Array([0x47, 0x49, 0x46, 0x00, 0x01, 0x02]),
  'public/bundle.min.js': `${'var a=1;'.repeat(3000)}\n`,
  'data/huge.ts': `export const big = [${'1,'.repeat(40_000)}];\n`,
  'README.md': '# fixture\n',
};

let root: string;
let first: RepoAnalysis;

beforeAll(async () => {
  root = await makeRepo(FILES);
  first = await analyseRepo(root, { maxFileBytes: 64 * 1024 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('analyseRepo on a polyglot fixture', () => {
  it('analyses the TypeScript, Python and Go files and skips the rest, each with its reason', () => {
    expect(first.files.map((f) => f.path)).toEqual([
      'calc/calc.go',
      'cmd/main.go',
      'src/audit.ts',
      'src/broken.ts',
      'src/invoices.ts',
      'src/orders.ts',
      'tools/helpers.py',
      'tools/report.py',
    ]);
    const reasons = Object.fromEntries(first.skipped.map((s) => [s.path, s.reason]));
    expect(reasons.node_modules).toMatch(/dependency/);
    expect(reasons.dist).toMatch(/build/);
    expect(reasons['assets/logo.js']).toMatch(/binary/);
    expect(reasons['public/bundle.min.js']).toMatch(/minified/);
    expect(reasons['data/huge.ts']).toMatch(/over the 65536-byte limit/);
    expect(first.otherFiles).toBe(3);
    expect(first.totals.byLanguage).toMatchObject({
      typescript: { files: 4 },
      python: { files: 2 },
      go: { files: 2 },
    });
  });

  it('flags the file with a syntax error and still analyses it', () => {
    const broken = first.files.find((f) => f.path === 'src/broken.ts')!;
    expect(broken.syntaxErrors[0]?.line).toBe(3);
    expect(broken.definitions.map((d) => d.name)).toContain('ok');
    expect(first.totals.filesWithSyntaxErrors).toBe(1);
  });

  it('computes per-function complexity and lines', () => {
    const report = first.files.find((f) => f.path === 'tools/report.py')!;
    // 1 + if + `or` + comprehension `for` + its `if`
    expect(report.functions).toEqual([
      { name: 'summarise', startLine: 3, endLine: 6, lines: 4, complexity: 5 },
    ]);
    const calc = first.files.find((f) => f.path === 'calc/calc.go')!;
    expect(calc.functions).toEqual([{ name: 'Double', startLine: 3, endLine: 8, lines: 6, complexity: 2 }]);
  });

  it('finds the clone pair with both locations', () => {
    expect(first.duplicates.pairs).toHaveLength(1);
    const [pair] = first.duplicates.pairs;
    expect(pair?.first).toEqual({ path: 'src/invoices.ts', startLine: 2, endLine: 10 });
    expect(pair?.second).toEqual({ path: 'src/orders.ts', startLine: 3, endLine: 11 });
    expect(first.duplicates.duplicatedLines).toBe(9);
  });

  it('resolves imports across languages and finds the cycle', () => {
    const edges = first.imports.edges.map((e) => `${e.from} -> ${e.to}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        'src/orders.ts -> src/audit.ts',
        'tools/report.py -> tools/helpers.py',
        'cmd/main.go -> calc/calc.go',
      ]),
    );
    expect(first.imports.cycles).toEqual([['src/audit.ts', 'src/orders.ts']]);
  });

  it('detects the test and lint commands', () => {
    expect(first.commands.test.map((c) => c.argv)).toEqual([
      ['npm', 'test'],
      ['go', 'test', './...'],
    ]);
    expect(first.commands.lint[0]?.argv).toEqual(['npm', 'run', 'lint']);
  });

  it('renders a repo map within its budget', () => {
    const map = repoMap(first.files, { budgetTokens: 200 });
    expect(map.tokens).toBeLessThanOrEqual(200);
    expect(map.text).toContain('src/audit.ts:');
  });

  it('answers a second analysis of the unchanged repository from the cache, re-parsing only a changed file', async () => {
    expect(existsSync(join(root, '.swarm', 'analysis', 'analysis-cache.json'))).toBe(true);
    expect(first.stats).toMatchObject({ cachedFiles: 0, parsedFiles: 8, cachedDuplicates: false });
    const second = await analyseRepo(root, { maxFileBytes: 64 * 1024 });
    expect(second.stats).toMatchObject({ cachedFiles: 8, parsedFiles: 0, cachedDuplicates: true });
    expect({ ...second, stats: undefined }).toEqual({ ...first, stats: undefined });
    await writeFile(join(root, 'tools/helpers.py'), 'def fmt(rows):\n    return "; ".join(rows)\n');
    const third = await analyseRepo(root, { maxFileBytes: 64 * 1024 });
    expect(third.stats).toMatchObject({ cachedFiles: 7, parsedFiles: 1, cachedDuplicates: false });
  });

  it('still answers when the cache cannot be written, saying why', async () => {
    const unwritable = join(root, 'package.json', 'cache');
    const result = await analyseRepo(root, { maxFileBytes: 64 * 1024, cacheDir: unwritable });
    expect(result.files).toHaveLength(8);
    expect(result.stats.cacheError).toMatch(/ENOTDIR|EEXIST/);
  });

  it('refuses a root that does not exist', async () => {
    await expect(analyseRepo(join(root, 'missing'))).rejects.toBeInstanceOf(WorkspaceRootError);
  });
});
