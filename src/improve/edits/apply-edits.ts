import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Workspace } from '../../tools/index.js';
import { didYouMean } from './did-you-mean.js';
import type { EditBlock } from './edit-block.js';
import { EditMatchError, type MatchFailure } from './errors.js';
import { matchFeedback } from './feedback.js';
import { DEFAULT_MIN_SIMILARITY, locate, type MatchRung } from './match-ladder.js';
import { blockLines, fromLines, type TextLines, toLines } from './text-lines.js';

export interface ApplyOptions {
  /** Lowest similarity (0 to 1) the last rung accepts; 0.8 unless set. */
  minSimilarity?: number;
  /** Check every block and report what would change, writing nothing. */
  dryRun?: boolean;
  /**
   * The repository's files (relative paths), to resolve a path the model
   * shortened: `utils.py` for `src/pkg/utils.py`, when exactly one file fits.
   */
  knownPaths?: readonly string[];
}

/** How one block was placed. Lines are 1-based and refer to the file before this block. */
export interface AppliedBlock {
  index: number;
  path: string;
  rung: MatchRung | 'new-file' | 'unchanged';
  startLine: number;
  endLine: number;
  similarity?: number;
}

export interface FileChange {
  path: string;
  /** The content before, or undefined for a file the edits create. */
  before: string | undefined;
  after: string;
}

export interface ApplyResult {
  applied: AppliedBlock[];
  changes: FileChange[];
}

interface FileState {
  rel: string;
  abs: string;
  original: string | undefined;
  text: TextLines | undefined;
  /** The path names a directory: no block can apply to it. */
  directory?: boolean;
}

/**
 * Applies edit blocks to the files under `root`, all or nothing. Every path
 * is confined to the root (`WorkspaceEscapeError` otherwise). Each block is
 * placed with the matching ladder against the file as the earlier blocks
 * left it, in memory; only when every block has found exactly one place are
 * the files written, each atomically, and a failed write puts the earlier
 * ones back. When a block fails, nothing is written and `EditMatchError`
 * carries, for each failed block, the reason and the closest lines.
 */
export async function applyEdits(
  root: string | Workspace,
  blocks: readonly EditBlock[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const workspace = typeof root === 'string' ? new Workspace(root) : root;
  const minSimilarity = options.minSimilarity ?? DEFAULT_MIN_SIMILARITY;
  const files = new Map<string, FileState>();
  const targets = blocks.map((block) => workspace.resolve(resolveShortPath(block.path, options.knownPaths)));
  for (const abs of targets) if (!files.has(abs)) files.set(abs, await load(workspace, abs));
  const applied: AppliedBlock[] = [];
  const failures: MatchFailure[] = [];
  blocks.forEach((block, index) => {
    const file = files.get(targets[index]!)!;
    const outcome = place(file, block, index, minSimilarity);
    if ('problem' in outcome) failures.push(outcome);
    else applied.push(outcome);
  });
  if (failures.length > 0) throw new EditMatchError(failures, matchFeedback(failures, blocks.length));
  const changes: FileChange[] = [];
  for (const file of files.values()) {
    const after = fromLines(file.text!);
    if (after !== file.original) changes.push({ path: file.rel, before: file.original, after });
  }
  if (!options.dryRun) await writeAll(workspace, changes);
  return { applied, changes };
}

function place(
  file: FileState,
  block: EditBlock,
  index: number,
  minSimilarity: number,
): AppliedBlock | MatchFailure {
  const search = blockLines(block.search);
  const replace = blockLines(block.replace);
  const base = { index, path: file.rel };
  if (file.directory) return failure(block, index, 'file-missing', `${file.rel} is a directory, not a file`);
  if (search.every((line) => line.trim() === '')) {
    if (file.text === undefined || file.text.lines.length === 0) {
      file.text = { lines: replace, eol: file.text?.eol ?? '\n', finalNewline: true };
      return { ...base, rung: 'new-file', startLine: 1, endLine: replace.length };
    }
    if (sameLines(file.text.lines, replace))
      return { ...base, rung: 'unchanged', startLine: 1, endLine: replace.length };
    return failure(
      block,
      index,
      'file-exists',
      `${file.rel} already exists; an empty SEARCH only creates new files`,
    );
  }
  if (file.text === undefined) {
    return failure(
      block,
      index,
      'file-missing',
      `${file.rel} does not exist, so its SEARCH text cannot match`,
    );
  }
  const lines = file.text.lines;
  const located = locate(lines, search, replace, minSimilarity);
  if ('problem' in located) {
    const alreadyApplied = replace.length > 0 && containsLines(lines, replace);
    return {
      ...failure(block, index, located.problem, located.detail),
      ...(located.problem === 'ambiguous' ? { locations: located.locations ?? [] } : {}),
      ...(located.problem === 'ambiguous' ? {} : optional('didYouMean', didYouMean(lines, search))),
      ...(alreadyApplied ? { alreadyApplied } : {}),
    };
  }
  const { placement } = located;
  file.text = {
    ...file.text,
    lines: [...lines.slice(0, placement.start), ...placement.lines, ...lines.slice(placement.end)],
  };
  return {
    ...base,
    rung: placement.rung,
    startLine: placement.start + 1,
    endLine: placement.end,
    ...optional('similarity', placement.similarity),
  };
}

function failure(
  block: EditBlock,
  index: number,
  problem: MatchFailure['problem'],
  detail: string,
): MatchFailure {
  return { index, block, problem, detail };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, k) => line === b[k]);
}

function containsLines(file: readonly string[], lines: readonly string[]): boolean {
  outer: for (let i = 0; i + lines.length <= file.length; i++) {
    for (let j = 0; j < lines.length; j++) if (file[i + j] !== lines[j]) continue outer;
    return true;
  }
  return false;
}

/** A path the model shortened, completed from the known files when exactly one ends with it. */
function resolveShortPath(path: string, known: readonly string[] | undefined): string {
  const clean = path.replace(/^\.\//, '');
  if (!known || known.includes(clean)) return clean;
  const fits = known.filter((candidate) => candidate.endsWith(`/${clean}`));
  return fits.length === 1 ? fits[0]! : clean;
}

async function load(workspace: Workspace, abs: string): Promise<FileState> {
  const rel = workspace.relative(abs);
  try {
    const original = await readFile(abs, 'utf8');
    return { rel, abs, original, text: toLines(original) };
  } catch (error) {
    // ENOTDIR: a file stands where a directory of the path would be; the file itself does not exist.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { rel, abs, original: undefined, text: undefined };
    if (code === 'EISDIR') return { rel, abs, original: undefined, text: undefined, directory: true };
    throw error;
  }
}

/**
 * Writes every change, each atomically. If one write fails, the files already written are put
 * back (or removed, with the directories made for them) before rethrowing.
 */
async function writeAll(workspace: Workspace, changes: readonly FileChange[]): Promise<void> {
  const done: Array<{ change: FileChange; abs: string; madeDirs: string[] }> = [];
  try {
    for (const change of changes) {
      const abs = workspace.resolve(change.path);
      const madeDirs = change.before === undefined ? await makeParents(dirname(abs)) : [];
      done.push({ change, abs, madeDirs });
      await atomicWrite(abs, change.after);
    }
  } catch (error) {
    for (const { change, abs, madeDirs } of done.reverse()) {
      if (change.before === undefined) {
        await rm(abs, { force: true });
        for (const dir of madeDirs.reverse()) await rmdir(dir).catch(() => undefined);
      } else {
        await atomicWrite(abs, change.before);
      }
    }
    throw error;
  }
}

/** Creates the missing directories down to `dir`, returning the ones it made, outermost first. */
async function makeParents(dir: string): Promise<string[]> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return [];
  const made = [first];
  for (const part of relative(first, dir).split(sep).filter(Boolean)) made.push(join(made.at(-1)!, part));
  return made;
}

/** Writes through a temporary file and a rename, keeping the file's permissions (an executable stays one). */
async function atomicWrite(abs: string, content: string): Promise<void> {
  const temp = join(dirname(abs), `.swarm-edit-${randomBytes(6).toString('hex')}.tmp`);
  const mode = await stat(abs).then(
    (stats) => stats.mode & 0o7777,
    () => undefined,
  );
  try {
    await writeFile(temp, content);
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, abs);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
