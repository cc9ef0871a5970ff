import { describe, expect, it } from 'vitest';
import { parserFor } from '../../memory/index.js';
import { extractFacts } from './extract-facts.js';
import type { SourceLanguage } from './languages.js';

async function facts(language: SourceLanguage, source: string) {
  const tree = (await parserFor(language)).parse(source)!;
  try {
    return extractFacts(tree, source, language);
  } finally {
    tree.delete();
  }
}

const complexityOf = (all: Awaited<ReturnType<typeof facts>>) =>
  Object.fromEntries(all.functions.map((fn) => [fn.name, fn.complexity]));

describe('extractFacts: complexity counted by hand', () => {
  it('TypeScript: branches, loops, cases, catch, ternaries and short-circuits; nested functions apart', async () => {
    const source = [
      'export function grade(score: number, bonus?: number): string {', // 1
      '  if (score > 90 && bonus) return "A";', // if +1, && +1
      '  else if (score > 80 || bonus === undefined) return "B";', // if +1, || +1
      '  for (const s of [1, 2]) { while (s < 0) {} }', // for +1, while +1
      '  switch (score) { case 1: return "x"; case 2: return "y"; default: return "z"; }', // 2 cases +2
      '}', // grade = 1 + 8 = 9
      'const pick = (a?: string) => a ?? (a ? "p" : "q");', // 1 + ?? + ternary = 3
      'class Box {',
      '  open(): void { try { run(); } catch { fail(); } [1].map((x) => x > 1 && x); }', // 1 + catch = 2; arrow 1 + && = 2
      '}',
    ].join('\n');
    const result = await facts('typescript', source);
    expect(complexityOf(result)).toEqual({ grade: 9, pick: 3, 'Box.open': 2, '(anonymous)': 2 });
    expect(result.functions.find((fn) => fn.name === 'grade')).toMatchObject({
      startLine: 1,
      endLine: 6,
      lines: 6,
    });
    // The file: 1 + every decision anywhere (8 + 2 + 1 + 1).
    expect(result.complexity).toBe(13);
  });

  it('Python: elif, boolean operators, comprehension filters, conditional expressions, except, match cases', async () => {
    const source = [
      'def classify(xs, limit):', // 1
      '    if not xs or limit is None:', // if +1, or +1
      '        return []',
      '    elif limit > 10:', // elif +1
      '        limit = 10',
      '    try:',
      '        out = [x for x in xs if x and x < limit]', // for_in +1, if_clause +1, and +1
      '    except ValueError:', // except +1
      '        out = None',
      '    match limit:',
      '        case 1: pass', // case +1
      '        case _: pass', // case +1
      '    return out if out else []', // conditional +1
      '', // classify = 1 + 10 = 11
      'class Shelf:',
      '    def put(self, item):',
      '        while item: item -= 1', // 1 + while = 2
    ].join('\n');
    const result = await facts('python', source);
    expect(complexityOf(result)).toEqual({ classify: 11, 'Shelf.put': 2 });
  });

  it('Go: if, for, expression and type cases, short-circuits; default cases do not count', async () => {
    const source = [
      'package shapes',
      'func Area(kind string, n int) int {', // 1
      '  if n < 0 || n > 100 { return 0 }', // if +1, || +1
      '  for i := 0; i < n && i < 3; i++ {}', // for +1, && +1
      '  switch kind { case "sq": return n * n; case "tri": return n; default: return -1 }', // 2 cases +2
      '}', // 1 + 6 = 7
      'func (s *Shape) Kind(v any) string {',
      '  switch v.(type) { case int: return "i"; default: return "?" }', // type case +1 → 2
      '}',
    ].join('\n');
    const result = await facts('go', source);
    expect(complexityOf(result)).toEqual({ Area: 7, 'Shape.Kind': 2 });
  });
});

describe('extractFacts: definitions, references, imports', () => {
  it('records module-level definitions with their export state, and imports with their kind and bindings', async () => {
    const source = [
      'import type { Config } from "./config.js";',
      'import * as path from "node:path";',
      'import heavy, { helper, type Opt } from "heavy-lib";',
      'export * from "./reexported.js";',
      'export const LIMIT = 3;',
      'export interface Shape { area(): number }',
      'class Hidden { method() { return helper(); } }',
      'export async function load(file: string): Promise<Config> {',
      '  const { parse } = await import("./parser.js");',
      '  return parse(path.join(file), heavy);',
      '}',
      'const legacy = require("legacy");',
      'legacy.start();',
    ].join('\n');
    const result = await facts('typescript', source);
    expect(result.definitions.map((d) => [d.name, d.kind, d.exported, d.line])).toEqual([
      ['LIMIT', 'constant', true, 5],
      ['Shape', 'interface', true, 6],
      ['Hidden', 'class', false, 7],
      ['method', 'method', false, 7],
      ['load', 'function', true, 8],
      ['legacy', 'constant', false, 12],
    ]);
    expect(result.definitions.find((d) => d.name === 'load')?.signature).toBe(
      'export async function load(file: string): Promise<Config> {',
    );
    expect(result.imports.map((i) => [i.specifier, i.kind, i.topLevel, i.names])).toEqual([
      ['./config.js', 'type', true, ['Config']],
      ['node:path', 'static', true, ['path']],
      ['heavy-lib', 'static', true, ['heavy', 'helper', 'Opt']],
      ['./reexported.js', 'reexport', true, ['*']],
      ['./parser.js', 'dynamic', false, []],
      ['legacy', 'require', true, ['legacy']],
    ]);
    expect(result.references.helper).toBe(1);
    expect(result.references.load).toBeUndefined();
    // heavy and path are used only inside load(); legacy runs at load time.
    expect(result.topLevelReferences).toContain('legacy');
    expect(result.topLevelReferences).not.toContain('heavy');
    expect(result.topLevelReferences).not.toContain('path');
  });

  it('reads Python and Go imports and definitions', async () => {
    const py = await facts(
      'python',
      'import os.path as p\nfrom ..pkg import mod, other as o\nX = 1\n_private = 2\ndef f():\n    import json\n',
    );
    expect(py.imports.map((i) => [i.specifier, i.topLevel, i.names])).toEqual([
      ['os.path', true, ['p']],
      ['..pkg', true, ['mod', 'o']],
      ['json', false, ['json']],
    ]);
    expect(py.definitions.map((d) => [d.name, d.kind, d.exported])).toEqual([
      ['X', 'constant', true],
      ['_private', 'variable', false],
      ['f', 'function', true],
    ]);
    const go = await facts(
      'go',
      'package m\nimport (\n  "fmt"\n  u "example.com/m/util"\n)\ntype T struct{}\nfunc (t *T) Run() {}\nvar v = 1\n',
    );
    expect(go.imports.map((i) => [i.specifier, i.names])).toEqual([
      ['fmt', ['fmt']],
      ['example.com/m/util', ['u']],
    ]);
    expect(go.definitions.map((d) => [d.name, d.kind, d.container, d.exported])).toEqual([
      ['T', 'type', undefined, true],
      ['Run', 'method', 'T', true],
      ['v', 'variable', undefined, false],
    ]);
  });

  it('flags syntax errors and still analyses what tree-sitter recovered', async () => {
    const result = await facts(
      'typescript',
      'const broken = ;\nexport function fine(a: number) {\n  return a > 1 ? a : 0;\n}\n',
    );
    expect(result.syntaxErrors[0]).toMatchObject({ line: 1, kind: 'error' });
    expect(result.functions.map((fn) => [fn.name, fn.complexity])).toContainEqual(['fine', 2]);
  });
});
