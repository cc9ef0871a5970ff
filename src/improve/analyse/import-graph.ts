import { posix } from 'node:path';
import type { FileFacts, ImportKind } from './facts.js';
import { type ResolutionContext, resolveImport } from './module-resolution.js';
import { stronglyConnected } from './strongly-connected.js';

export interface ImportEdge {
  from: string;
  to: string;
  /** As written in `from`. */
  specifier: string;
  kind: ImportKind;
  line: number;
  /** Made when the importing module loads (not inside a function). */
  topLevel: boolean;
}

export interface ImportGraph {
  edges: ImportEdge[];
  /** Per file, the packages (npm, PyPI, Go modules) it imports. */
  external: Record<string, string[]>;
  /** Relative imports that lead to no file of the repository, e.g. `./gone.js` from `src/a.ts` line 3. */
  unresolved: Array<{ from: string; specifier: string; line: number }>;
  /**
   * Groups of files that import each other in a circle, through imports that
   * run at load time (type-only and dynamic imports cannot deadlock a load).
   * Each group is sorted; groups are ordered by their first file.
   */
  cycles: string[][];
}

type AnalysedFile = { path: string } & Pick<FileFacts, 'language' | 'imports'>;

/** Resolves every file's imports to files of the repository (or packages) and finds the import cycles. */
export function buildImportGraph(
  files: readonly AnalysedFile[],
  goModules: ResolutionContext['goModules'],
): ImportGraph {
  const paths = new Set(files.map((file) => file.path));
  const goPackages = new Map<string, string[]>();
  for (const path of paths) {
    if (!path.endsWith('.go') || path.endsWith('_test.go')) continue;
    const dir = posix.dirname(path);
    goPackages.set(dir, [...(goPackages.get(dir) ?? []), path]);
  }
  const pythonRoots = [
    '.',
    ...(files.some((file) => file.path.startsWith('src/') && file.language === 'python') ? ['src'] : []),
  ];
  const context: ResolutionContext = { files: paths, goModules, pythonRoots, goPackages };
  const graph: ImportGraph = { edges: [], external: {}, unresolved: [], cycles: [] };
  for (const { path, language, imports } of files) {
    const external = new Set<string>();
    for (const imported of imports) {
      const resolution = resolveImport(path, imported, language, context);
      if (resolution.kind === 'files') {
        for (const to of resolution.files) {
          if (to === path) continue;
          graph.edges.push({
            from: path,
            to,
            specifier: imported.specifier,
            kind: imported.kind,
            line: imported.line,
            topLevel: imported.topLevel,
          });
        }
      } else if (resolution.kind === 'external') {
        external.add(resolution.name);
      } else if (resolution.kind === 'unresolved') {
        graph.unresolved.push({ from: path, specifier: imported.specifier, line: imported.line });
      }
    }
    if (external.size > 0) graph.external[path] = [...external].sort();
  }
  graph.cycles = findCycles(
    graph.edges.filter((edge) => edge.topLevel && edge.kind !== 'type' && edge.kind !== 'dynamic'),
  );
  return graph;
}

/** Strongly connected components of more than one file, each sorted, ordered by their first file. */
function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const list = next.get(edge.from);
    if (list) list.push(edge.to);
    else next.set(edge.from, [edge.to]);
  }
  const nodes = [...new Set([...next.keys(), ...edges.map((edge) => edge.to)])].sort();
  return stronglyConnected(nodes, (node) => next.get(node) ?? [])
    .filter((component) => component.length > 1)
    .map((component) => component.sort())
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}
