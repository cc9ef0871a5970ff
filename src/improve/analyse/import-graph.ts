import { posix } from 'node:path';
import type { FileFacts, ImportKind } from './facts.js';
import { type ResolutionContext, resolveImport } from './module-resolution.js';

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

/** Strongly connected components of more than one file (Tarjan, iterative so deep graphs cannot overflow the stack). */
function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const start of [...next.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; child: number }> = [{ node: start, child: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const targets = next.get(frame.node) ?? [];
      if (frame.child < targets.length) {
        const target = targets[frame.child++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, child: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) components.push(component.sort());
      }
    }
  }
  return components.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}
