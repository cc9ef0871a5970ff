import { type FileAnalysis, isJsFamily, type RepoAnalysis } from '../analyse/index.js';
import { type Candidate, scored } from './candidate.js';
import { installedCodeBytes } from './package-size.js';
import { startupFiles } from './startup-files.js';

export interface LazyLoadThresholds {
  /** A package shipping at least this much code is heavy to load (default 256 KiB). */
  heavyBytes?: number;
  /** A module of the repository pulling at least this many lines in at load time is heavy (default 2000). */
  heavyLines?: number;
}

export const DEFAULT_HEAVY_BYTES = 256 * 1024;
export const DEFAULT_HEAVY_LINES = 2000;

/**
 * Imports on the start-up path that load heavy code eagerly although the
 * importing file only uses them inside functions: each can move into the
 * functions that need it (`await import()` in JavaScript, a local `import`
 * in Python), so start-up stops paying for it. Heavy means a package that
 * ships much code, or a module of the repository whose own load-time
 * imports add up to many lines. Go is left out: it has no lazy imports.
 */
export async function lazyLoadCandidates(
  analysis: RepoAnalysis,
  thresholds: LazyLoadThresholds = {},
): Promise<Candidate[]> {
  const heavyBytes = thresholds.heavyBytes ?? DEFAULT_HEAVY_BYTES;
  const heavyLines = thresholds.heavyLines ?? DEFAULT_HEAVY_LINES;
  const startup = await startupFiles(analysis);
  const byPath = new Map(analysis.files.map((file) => [file.path, file]));
  const closureLines = loadClosure(analysis, byPath);
  const packageBytes = new Map<string, Promise<number | undefined>>();
  const candidates: Candidate[] = [];
  for (const path of [...startup].sort()) {
    const file = byPath.get(path);
    if (!file || file.language === 'go' || file.syntaxErrors.length > 0) continue;
    const edges = analysis.imports.edges.filter((edge) => edge.from === path);
    for (const imported of file.imports) {
      if (!imported.topLevel || (imported.kind !== 'static' && imported.kind !== 'require')) continue;
      if (!onlyInsideFunctions(file, imported.names)) continue;
      const internal = edges.find(
        (edge) => edge.line === imported.line && edge.specifier === imported.specifier,
      )?.to;
      let weight: { figure: 'closureLines' | 'packageBytes'; amount: number; heavy: number } | undefined;
      if (internal) {
        weight = { figure: 'closureLines', amount: closureLines(internal), heavy: heavyLines };
      } else if (
        isJsFamily(file.language) &&
        !imported.specifier.startsWith('.') &&
        !imported.specifier.startsWith('node:')
      ) {
        const name = packageName(imported.specifier);
        if (!packageBytes.has(name)) packageBytes.set(name, installedCodeBytes(analysis.root, name));
        const bytes = await packageBytes.get(name)!;
        if (bytes !== undefined) weight = { figure: 'packageBytes', amount: bytes, heavy: heavyBytes };
      }
      if (!weight || weight.amount < weight.heavy) continue;
      const codemod = isJsFamily(file.language);
      candidates.push(
        scored({
          id: `lazy-load:${path}:${imported.specifier}`,
          skill: 'lazy-load',
          target: { path, startLine: imported.line, endLine: imported.line, symbol: imported.specifier },
          related: internal ? [{ path: internal }] : [],
          reason:
            `${path} loads ${imported.specifier} (${describe(weight.figure, weight.amount)}) at start-up ` +
            `but uses ${imported.names.join(', ')} only inside functions`,
          figures: { [weight.figure]: weight.amount, threshold: weight.heavy, names: imported.names.length },
          value: weight.amount / (weight.amount + weight.heavy),
          risk: codemod ? 0.25 : 0.4,
          needsModel: !codemod,
        }),
      );
    }
  }
  return candidates;
}

/** The import binds names, and every one of them is used, but none at module level. */
function onlyInsideFunctions(file: FileAnalysis, names: readonly string[]): boolean {
  if (names.length === 0 || names.includes('*')) return false;
  const topLevel = new Set(file.topLevelReferences);
  return names.every((name) => !topLevel.has(name) && (file.references[name] ?? 0) > 0);
}

/** Lines a module brings in at load time: its own and those of everything it imports eagerly, once each. */
function loadClosure(
  analysis: RepoAnalysis,
  byPath: ReadonlyMap<string, FileAnalysis>,
): (path: string) => number {
  const eager = new Map<string, string[]>();
  for (const edge of analysis.imports.edges) {
    if (edge.topLevel && edge.kind !== 'type' && edge.kind !== 'dynamic') {
      eager.set(edge.from, [...(eager.get(edge.from) ?? []), edge.to]);
    }
  }
  return (start) => {
    const seen = new Set([start]);
    const queue = [start];
    let lines = 0;
    while (queue.length > 0) {
      const path = queue.pop()!;
      lines += byPath.get(path)?.lines ?? 0;
      for (const next of eager.get(path) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return lines;
  };
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function describe(figure: 'closureLines' | 'packageBytes', amount: number): string {
  return figure === 'packageBytes'
    ? `${Math.round(amount / 1024)} KiB of code`
    : `${amount} lines with its imports`;
}
