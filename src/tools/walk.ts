import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkspaceEscapeError } from './errors.js';
import { isMissing, type Workspace } from './workspace.js';

/** Directories that are large, generated or private; walked only when the caller starts inside them. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules', '.swarm', 'dist']);

export interface WalkEntry {
  /** Real path on disk. */
  abs: string;
  /** Relative to the workspace root, `/`-separated, under the name it was found by (a symlink's own name). */
  rel: string;
  dir: boolean;
  /** For a symlinked directory not walked because its target is walked anyway: the target, relative to the root. */
  linkTo?: string;
}

export interface WalkOptions {
  recursive: boolean;
  signal: AbortSignal;
  /** Told about each directory left out because its name is in `SKIPPED_DIRS`. */
  onSkip?: (rel: string) => void;
}

/**
 * Walks a directory of the workspace depth-first, entries sorted by name.
 * Symlinks are followed only when their target stays inside the workspace.
 * A symlinked directory is entered only when its target lies outside the
 * walked tree and was not entered before, so contents appear once, under
 * their real path, and a link to an ancestor cannot loop. Anything that is
 * neither a file nor a directory (sockets, FIFOs that would block a reader)
 * is left out.
 */
export async function* walk(
  workspace: Workspace,
  start: string,
  options: WalkOptions,
): AsyncGenerator<WalkEntry> {
  const visited = new Set<string>();
  const base = workspace.relative(start);
  const insideWalk = (rel: string) => base === '.' || rel === base || rel.startsWith(`${base}/`);

  async function* visit(dirAbs: string, dirRel: string): AsyncGenerator<WalkEntry> {
    options.signal.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await readdir(dirAbs, { withFileTypes: true });
    } catch (error) {
      // Gone since it was listed, or unreadable: there is nothing in it to show.
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EACCES') return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dirRel === '.' ? entry.name : `${dirRel}/${entry.name}`;
      const found = await classify(workspace, join(dirAbs, entry.name), entry);
      if (!found) continue;
      if (!found.dir) {
        yield { abs: found.abs, rel, dir: false };
        continue;
      }
      if (SKIPPED_DIRS.has(entry.name)) {
        options.onSkip?.(rel);
        continue;
      }
      if (found.link) {
        const target = workspace.relative(found.abs);
        if (insideWalk(target) || visited.has(found.abs)) {
          yield { abs: found.abs, rel, dir: true, linkTo: target };
          continue;
        }
        visited.add(found.abs);
      }
      yield { abs: found.abs, rel, dir: true };
      if (options.recursive) yield* visit(found.abs, rel);
    }
  }

  yield* visit(start, base);
}

async function classify(
  workspace: Workspace,
  path: string,
  entry: Dirent,
): Promise<{ abs: string; dir: boolean; link: boolean } | undefined> {
  if (entry.isDirectory()) return { abs: path, dir: true, link: false };
  if (entry.isFile()) return { abs: path, dir: false, link: false };
  if (!entry.isSymbolicLink()) return undefined;
  let abs: string;
  try {
    abs = workspace.resolve(path);
  } catch (error) {
    if (error instanceof WorkspaceEscapeError) return undefined;
    throw error;
  }
  try {
    const stats = await stat(abs);
    if (stats.isDirectory()) return { abs, dir: true, link: true };
    return stats.isFile() ? { abs, dir: false, link: true } : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

const SHOWN_SKIPPED = 10;

/** `dist/, packages/a/node_modules/ and 3 more`: what a listing or search left out, briefly. */
export function describeSkipped(skipped: readonly string[]): string {
  const shown = skipped.slice(0, SHOWN_SKIPPED).map((rel) => `${rel}/`);
  const more = skipped.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
