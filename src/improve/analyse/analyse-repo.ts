import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../../tools/index.js';
import type { FileAnalysis, RepoAnalysis, RepoTotals } from './analysis.js';
import { AnalysisCache, CACHE_VERSION } from './analysis-cache.js';
import { detectCommands } from './commands.js';
import { type ClonePair, type DuplicateOptions, findDuplicates } from './duplicates.js';
import { extractFacts } from './extract-facts.js';
import type { FileFacts } from './facts.js';
import { findGoModules } from './go-modules.js';
import { buildImportGraph } from './import-graph.js';
import { tokenize } from './lexer.js';
import { type ListOptions, listSourceFiles, type SkippedPath, type SourceFile } from './source-files.js';

export interface AnalyseOptions extends ListOptions {
  duplicates?: DuplicateOptions;
  /**
   * Where the cache lives: a directory, or `false` for none. By default
   * `.swarm/analysis` under the analysed root.
   */
  cacheDir?: string | false;
  signal?: AbortSignal;
}

/** Text a minifier or generator wrote: lines this long on average are not code anyone edits. */
const MINIFIED_AVERAGE_LINE = 300;
const SNIFF_BYTES = 8192;
const READ_BATCH = 64;

interface ReadFile {
  file: SourceFile;
  bytes: Buffer;
  hash: string;
}

/**
 * Analyses every source file under `root` (TypeScript, TSX, JavaScript,
 * Python, Go): per file and per function its lines, complexity, definitions,
 * references and imports; across files the import graph and its cycles,
 * duplicated code and the project's test, lint and typecheck commands.
 * Files whose content hash is in the cache are not parsed again. Binary,
 * minified and oversized files are skipped with the reason; a file with
 * syntax errors is analysed as far as tree-sitter recovers, and flagged.
 */
export async function analyseRepo(root: string, options: AnalyseOptions = {}): Promise<RepoAnalysis> {
  const started = performance.now();
  const workspace = new Workspace(root);
  const cacheDir =
    options.cacheDir === false ? undefined : (options.cacheDir ?? join(workspace.root, '.swarm', 'analysis'));
  const listing = listSourceFiles(workspace.root, options);
  const [cache, commands] = await Promise.all([AnalysisCache.open(cacheDir), detectCommands(workspace.root)]);
  const skipped: SkippedPath[] = [...listing.skipped];
  const read = await readAll(listing.files, skipped, options.signal);
  const files: FileAnalysis[] = [];
  // Text decoded for parsing, kept for tokenising: decoding is a visible share of the time.
  const texts = new Map<string, string>();
  let cachedFiles = 0;
  for (const { file, bytes, hash } of read) {
    options.signal?.throwIfAborted();
    let facts = cache.facts(hash);
    if (facts) cachedFiles++;
    else {
      const text = bytes.toString('utf8');
      texts.set(file.path, text);
      facts = await parseFacts(file, text);
      if (!facts) {
        skipped.push({ path: file.path, reason: 'tree-sitter could not parse it' });
        continue;
      }
      cache.remember(hash, facts);
    }
    files.push({ path: file.path, bytes: file.bytes, hash, ...facts });
  }
  const dupOptions = options.duplicates ?? {};
  // What the tree is, once: each file's path and content hash.
  const treeKey = sha1(JSON.stringify(read.map((r) => [r.file.path, r.hash])));
  const dupKey = sha1(JSON.stringify([CACHE_VERSION, dupOptions, treeKey]));
  let pairs = cache.duplicatePairs(dupKey);
  const cachedDuplicates = pairs !== undefined;
  if (!pairs) {
    const analysed = new Set(files.map((file) => file.path));
    const tokenised = read
      .filter((r) => analysed.has(r.file.path))
      .map((r) => ({
        path: r.file.path,
        tokens: tokenize(texts.get(r.file.path) ?? r.bytes.toString('utf8'), r.file.language),
      }));
    pairs = findDuplicates(tokenised, dupOptions);
    cache.rememberDuplicates(dupKey, pairs);
  }
  const goModules = await findGoModules(
    workspace.root,
    files.filter((file) => file.language === 'go').map((file) => file.path),
  );
  const importsKey = sha1(JSON.stringify([CACHE_VERSION, goModules, treeKey]));
  let imports = cache.importGraph(importsKey);
  const cachedImportGraph = imports !== undefined;
  if (!imports) {
    imports = buildImportGraph(files, goModules);
    cache.rememberImportGraph(importsKey, imports);
  }
  // The analysis stands without its cache: a read-only checkout or a full disk only costs the next run time.
  const cacheError = await cache.save().then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  const totals = totalsOf(files);
  const duplicatedLines = coveredLines(pairs);
  return {
    root: workspace.root,
    files,
    skipped: skipped.sort((a, b) => a.path.localeCompare(b.path)),
    otherFiles: listing.otherFiles,
    totals,
    duplicates: { pairs, duplicatedLines, share: totals.lines === 0 ? 0 : duplicatedLines / totals.lines },
    imports,
    commands,
    stats: {
      cachedFiles,
      parsedFiles: files.length - cachedFiles,
      cachedDuplicates,
      cachedImportGraph,
      ...(cacheError === undefined ? {} : { cacheError }),
      elapsedMs: performance.now() - started,
    },
  };
}

/**
 * Reads the files, leaving out (with the reason) binary and minified ones.
 * Reads are synchronous, a batch at a time with a turn of the event loop in
 * between: for many small files that is several times faster than one
 * promise chain per file, and timers (a worker's heartbeat) still run. Only
 * bytes are kept: text is decoded when a file must be parsed or tokenised,
 * which an unchanged repository never needs.
 */
async function readAll(
  files: readonly SourceFile[],
  skipped: SkippedPath[],
  signal?: AbortSignal,
): Promise<ReadFile[]> {
  const out: ReadFile[] = [];
  for (let k = 0; k < files.length; k += READ_BATCH) {
    signal?.throwIfAborted();
    if (k > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const file of files.slice(k, k + READ_BATCH)) {
      const bytes = readFileSync(file.abs);
      if (bytes.subarray(0, SNIFF_BYTES).includes(0)) {
        skipped.push({ path: file.path, reason: 'binary (contains NUL bytes)' });
        continue;
      }
      const perLine = bytes.length / (countNewlines(bytes) + 1);
      if (bytes.length > SNIFF_BYTES && perLine > MINIFIED_AVERAGE_LINE) {
        skipped.push({
          path: file.path,
          reason: `minified or generated (${Math.round(perLine)} bytes a line)`,
        });
        continue;
      }
      const hash = createHash('sha1').update(file.language).update('\u0000').update(bytes).digest('hex');
      out.push({ file, bytes, hash });
    }
  }
  return out;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

/** The grammar (and web-tree-sitter with it) is loaded only when a file must be parsed. */
async function parseFacts(file: SourceFile, text: string): Promise<FileFacts | undefined> {
  const { parserFor } = await import('../../memory/index.js');
  const parser = await parserFor(file.language);
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    return extractFacts(tree, text, file.language);
  } finally {
    tree.delete();
  }
}

function totalsOf(files: readonly FileAnalysis[]): RepoTotals {
  const totals: RepoTotals = {
    files: files.length,
    lines: 0,
    functions: 0,
    complexity: 0,
    filesWithSyntaxErrors: 0,
    byLanguage: {},
  };
  for (const file of files) {
    totals.lines += file.lines;
    totals.functions += file.functions.length;
    totals.complexity += file.complexity;
    if (file.syntaxErrors.length > 0) totals.filesWithSyntaxErrors++;
    const language = totals.byLanguage[file.language] ?? { files: 0, lines: 0 };
    language.files++;
    language.lines += file.lines;
    totals.byLanguage[file.language] = language;
  }
  return totals;
}

/** Lines covered by the second copy of some pair, each counted once. */
function coveredLines(pairs: readonly ClonePair[]): number {
  const covered = new Map<string, Set<number>>();
  for (const { second } of pairs) {
    const lines = covered.get(second.path) ?? new Set<number>();
    for (let line = second.startLine; line <= second.endLine; line++) lines.add(line);
    covered.set(second.path, lines);
  }
  let total = 0;
  for (const lines of covered.values()) total += lines.size;
  return total;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
