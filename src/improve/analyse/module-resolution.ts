import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import type { ImportFacts } from './facts.js';
import { isJsFamily, type SourceLanguage } from './languages.js';

/** What the resolver knows about the repository: its files, Go modules and Python source roots. */
export interface ResolutionContext {
  files: ReadonlySet<string>;
  /** `go.mod` files: the directory (`.` for the root) and the module path it declares. */
  goModules: ReadonlyArray<{ dir: string; module: string }>;
  /** Directories Python's absolute imports start from: the root, and `src` when there is one. */
  pythonRoots: readonly string[];
  /** Go package directories (`.` for the root) and their non-test files. */
  goPackages: ReadonlyMap<string, readonly string[]>;
}

export type Resolution =
  | { kind: 'files'; files: string[] }
  | { kind: 'external'; name: string }
  | { kind: 'builtin'; name: string }
  | { kind: 'unresolved' };

const JS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
// A compiled-output extension in a specifier names the TypeScript source next to it (NodeNext style).
const SOURCE_FOR: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};
const NODE_BUILTINS = new Set(builtinModules);

/** Where an import leads: files of this repository, a package, the language's standard library, or nowhere known. */
export function resolveImport(
  from: string,
  imported: ImportFacts,
  language: SourceLanguage,
  context: ResolutionContext,
): Resolution {
  if (isJsFamily(language)) return resolveJs(from, imported.specifier, context);
  if (language === 'python') return resolvePython(from, imported, context);
  return resolveGo(imported.specifier, context);
}

function resolveJs(from: string, specifier: string, context: ResolutionContext): Resolution {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const base = posix.join(posix.dirname(from), specifier).replace(/^\/+/, '');
    for (const candidate of jsCandidates(base))
      if (context.files.has(candidate)) return { kind: 'files', files: [candidate] };
    return { kind: 'unresolved' };
  }
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(bare.split('/')[0]!))
    return { kind: 'builtin', name: bare };
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0]!;
  return { kind: 'external', name };
}

/** The files a relative specifier may name, most likely first; generated lazily, most imports hit the first or second. */
function* jsCandidates(base: string): Generator<string> {
  yield base;
  const ext = posix.extname(base);
  const stem = base.slice(0, base.length - ext.length);
  for (const source of SOURCE_FOR[ext] ?? []) yield stem + source;
  for (const e of JS_EXTENSIONS) yield base + e;
  for (const e of JS_EXTENSIONS) yield `${base}/index${e}`;
}

function resolvePython(from: string, imported: ImportFacts, context: ResolutionContext): Resolution {
  const specifier = imported.specifier;
  const dots = /^\.*/.exec(specifier)![0].length;
  const dotted = specifier.slice(dots);
  const modulePath = dotted === '' ? '' : dotted.split('.').join('/');
  let bases: string[];
  if (dots > 0) {
    let dir = posix.dirname(from);
    for (let k = 1; k < dots; k++) dir = posix.dirname(dir);
    bases = [dir === '.' ? '' : dir];
  } else {
    bases = context.pythonRoots.map((root) => (root === '.' ? '' : root));
  }
  for (const base of bases) {
    const module = [base, modulePath].filter(Boolean).join('/');
    const files = pythonModule(module, context);
    // `from pkg import a, b` may name submodules rather than attributes of pkg.
    const submodules = imported.names.flatMap((name) =>
      pythonModule([module, name].filter(Boolean).join('/'), context),
    );
    const all = [...new Set([...files, ...submodules])];
    if (all.length > 0) return { kind: 'files', files: all };
  }
  if (dots > 0) return { kind: 'unresolved' };
  return { kind: 'external', name: dotted.split('.')[0]! };
}

function pythonModule(path: string, context: ResolutionContext): string[] {
  if (path === '') return context.files.has('__init__.py') ? ['__init__.py'] : [];
  return [`${path}.py`, `${path}.pyi`, `${path}/__init__.py`]
    .filter((candidate) => context.files.has(candidate))
    .slice(0, 1);
}

function resolveGo(specifier: string, context: ResolutionContext): Resolution {
  for (const { dir, module } of context.goModules) {
    if (specifier !== module && !specifier.startsWith(`${module}/`)) continue;
    const rest = specifier.slice(module.length).replace(/^\//, '');
    const pkgDir = [dir === '.' ? '' : dir, rest].filter(Boolean).join('/');
    const files = context.goPackages.get(pkgDir || '.');
    return files && files.length > 0 ? { kind: 'files', files: [...files] } : { kind: 'unresolved' };
  }
  const first = specifier.split('/')[0]!;
  return first.includes('.') ? { kind: 'external', name: specifier } : { kind: 'builtin', name: specifier };
}
