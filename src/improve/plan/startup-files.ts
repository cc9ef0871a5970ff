import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { RepoAnalysis } from '../analyse/index.js';

/** Used when package.json names no entry point. */
const CONVENTIONAL_JS_ENTRIES = /^(src\/)?(cli|main|index|server|app)\.(ts|tsx|mts|js|mjs|cjs)$/;
/** Always entries: scripts and Python's start-up modules, which package.json does not describe. */
const ALWAYS_ENTRIES = [/^bin\/[^/]+$/, /(^|\/)__main__\.py$/, /^(src\/)?(main|app|cli|manage)\.py$/];
const BUILD_DIRS = /^(dist|build|lib|out)\//;

/**
 * The files that run when the program starts: its entry points (package.json
 * `bin`, `main`, `module` and `exports`, else `cli`, `main` or `index`; and
 * always `bin/*`, `__main__.py` and Python's `main.py`, `app.py`, `cli.py`)
 * and every file they import at load time, transitively. An entry or import pointing into build output (`dist/`)
 * is followed to the source it is built from.
 */
export async function startupFiles(analysis: RepoAnalysis): Promise<Set<string>> {
  const paths = new Set(analysis.files.map((file) => file.path));
  const entries = new Set<string>();
  for (const target of await packageEntries(analysis.root)) {
    const source = sourceFor(target, paths);
    if (source) entries.add(source);
  }
  const declared = entries.size > 0;
  for (const path of paths) {
    if (ALWAYS_ENTRIES.some((pattern) => pattern.test(path))) entries.add(path);
    else if (!declared && CONVENTIONAL_JS_ENTRIES.test(path)) entries.add(path);
  }
  const eager = new Map<string, string[]>();
  const link = (from: string, to: string) => eager.set(from, [...(eager.get(from) ?? []), to]);
  for (const edge of analysis.imports.edges) {
    if (edge.topLevel && (edge.kind === 'static' || edge.kind === 'require' || edge.kind === 'reexport'))
      link(edge.from, edge.to);
  }
  for (const missing of analysis.imports.unresolved) {
    const source = sourceFor(
      posix.normalize(posix.join(posix.dirname(missing.from), missing.specifier)),
      paths,
    );
    if (source) link(missing.from, source);
  }
  const reached = new Set(entries);
  const queue = [...entries];
  while (queue.length > 0) {
    for (const next of eager.get(queue.pop()!) ?? []) {
      if (reached.has(next)) continue;
      reached.add(next);
      queue.push(next);
    }
  }
  return reached;
}

async function packageEntries(root: string): Promise<string[]> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  } catch {
    return [];
  }
  if (typeof manifest !== 'object' || manifest === null) return [];
  const { bin, main, module, exports } = manifest as Record<string, unknown>;
  return [bin, main, module, exports].flatMap(stringsIn);
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

/** The analysed file a path names, directly or as the source of a build output (`dist/cli/main.js` → `src/cli/main.ts`). */
function sourceFor(target: string, paths: ReadonlySet<string>): string | undefined {
  const clean = posix.normalize(target).replace(/^\.\//, '');
  if (paths.has(clean)) return clean;
  const stems = [clean, clean.replace(BUILD_DIRS, 'src/'), clean.replace(BUILD_DIRS, '')].map((path) =>
    path.replace(/\.(c|m)?js$/, ''),
  );
  for (const stem of stems) {
    for (const ext of ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx']) {
      if (paths.has(stem + ext)) return stem + ext;
    }
  }
  return undefined;
}
