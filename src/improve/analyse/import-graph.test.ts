import { describe, expect, it } from 'vitest';
import type { ImportFacts, ImportKind } from './facts.js';
import { buildImportGraph } from './import-graph.js';
import type { SourceLanguage } from './languages.js';

const imp = (
  specifier: string,
  kind: ImportKind = 'static',
  names: string[] = ['x'],
  topLevel = true,
): ImportFacts => ({
  specifier,
  kind,
  line: 1,
  topLevel,
  names,
});
const file = (path: string, language: SourceLanguage, imports: ImportFacts[]) => ({
  path,
  language,
  imports,
});

describe('buildImportGraph', () => {
  it('resolves TypeScript specifiers written for the compiled output, directories and bare packages', () => {
    const graph = buildImportGraph(
      [
        file('src/a.ts', 'typescript', [
          imp('./b.js'),
          imp('./lib'),
          imp('../src/c'),
          imp('zod'),
          imp('@ai-sdk/openai/internal'),
          imp('node:fs'),
          imp('./gone.js'),
        ]),
        file('src/b.ts', 'typescript', []),
        file('src/lib/index.ts', 'typescript', []),
        file('src/c.tsx', 'tsx', []),
      ],
      [],
    );
    expect(graph.edges.map((e) => e.to)).toEqual(['src/b.ts', 'src/lib/index.ts', 'src/c.tsx']);
    expect(graph.external['src/a.ts']).toEqual(['@ai-sdk/openai', 'zod']);
    expect(graph.unresolved).toEqual([{ from: 'src/a.ts', specifier: './gone.js', line: 1 }]);
  });

  it('resolves Python relative and absolute imports, submodules named in from-imports included', () => {
    const graph = buildImportGraph(
      [
        file('pkg/__init__.py', 'python', []),
        file('pkg/core.py', 'python', [imp('.util'), imp('.', 'static', ['models']), imp('requests')]),
        file('pkg/util.py', 'python', []),
        file('pkg/models.py', 'python', []),
        file('app.py', 'python', [imp('pkg.core'), imp('pkg', 'static', ['util'])]),
      ],
      [],
    );
    const targets = (from: string) => graph.edges.filter((e) => e.from === from).map((e) => e.to);
    expect(targets('pkg/core.py')).toEqual(['pkg/util.py', 'pkg/__init__.py', 'pkg/models.py']);
    expect(targets('app.py')).toEqual(['pkg/core.py', 'pkg/__init__.py', 'pkg/util.py']);
    expect(graph.external['pkg/core.py']).toEqual(['requests']);
  });

  it('resolves Go imports of the module to every non-test file of the package', () => {
    const graph = buildImportGraph(
      [
        file('main.go', 'go', [imp('example.com/m/util'), imp('fmt'), imp('github.com/x/y')]),
        file('util/a.go', 'go', []),
        file('util/b.go', 'go', []),
        file('util/a_test.go', 'go', []),
      ],
      [{ dir: '.', module: 'example.com/m' }],
    );
    expect(graph.edges.map((e) => e.to)).toEqual(['util/a.go', 'util/b.go']);
    expect(graph.external['main.go']).toEqual(['github.com/x/y']);
  });

  it('finds cycles through load-time imports only', () => {
    const graph = buildImportGraph(
      [
        file('a.ts', 'typescript', [imp('./b.js')]),
        file('b.ts', 'typescript', [imp('./c.js')]),
        file('c.ts', 'typescript', [imp('./a.js'), imp('./d.js', 'type')]),
        file('d.ts', 'typescript', [imp('./c.js')]),
        file('e.ts', 'typescript', [imp('./f.js', 'dynamic', [], false)]),
        file('f.ts', 'typescript', [imp('./e.js')]),
      ],
      [],
    );
    expect(graph.cycles).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
