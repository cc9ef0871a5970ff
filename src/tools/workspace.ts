import { lstatSync, readlinkSync, realpathSync, type Stats, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FileNotFoundError, WorkspaceEscapeError, WorkspaceRootError } from './errors.js';

/** A path inside the workspace that exists, with its real location and its display name. */
export interface WorkspaceEntry {
  abs: string;
  /** Relative to the root, `/`-separated; `.` for the root itself. */
  rel: string;
  stats: Stats;
}

/**
 * The directory tools may touch. Every path a tool receives goes through
 * `resolve`, which answers with the real location on disk, so `..`, absolute
 * paths and symlinks cannot lead a tool outside the root.
 */
export class Workspace {
  /** The real path of the root (symlinks resolved). */
  readonly root: string;
  /** The root as given, so absolute paths written through a symlinked root are still recognised. */
  private readonly givenRoot: string;

  constructor(root: string) {
    this.givenRoot = resolve(root);
    let real: string;
    try {
      real = realpathSync(this.givenRoot);
    } catch {
      throw new WorkspaceRootError(this.givenRoot, 'does not exist');
    }
    if (!statSync(real).isDirectory()) throw new WorkspaceRootError(this.givenRoot, 'is not a directory');
    this.root = real;
  }

  /**
   * The absolute real path of `path` (relative to the root, or absolute), or
   * `WorkspaceEscapeError` if it lies outside the root. A path that does not
   * exist yet is checked through its deepest existing ancestor, so a future
   * write cannot land outside through a symlinked directory either.
   */
  resolve(path: string): string {
    const lexical = this.rebase(isAbsolute(path) ? resolve(path) : resolve(this.root, path));
    if (!isWithin(this.root, lexical)) {
      throw new WorkspaceEscapeError(
        path,
        isAbsolute(path)
          ? `it is outside the workspace ${this.root}`
          : 'it climbs out of the workspace with ..',
      );
    }
    const real = realLocation(lexical);
    if (!isWithin(this.root, real)) {
      throw new WorkspaceEscapeError(path, 'a symbolic link on the way leads outside the workspace');
    }
    return real;
  }

  /** `abs` relative to the root, `/`-separated (`.` for the root); refuses paths outside it. */
  relative(abs: string): string {
    const rebased = this.rebase(resolve(abs));
    if (!isWithin(this.root, rebased)) {
      throw new WorkspaceEscapeError(abs, `it is outside the workspace ${this.root}`);
    }
    const rel = relative(this.root, rebased);
    return rel === '' ? '.' : rel.split(sep).join('/');
  }

  /** Resolves `path` and stats it, or throws `FileNotFoundError` naming it relative to the root. */
  async stat(path: string): Promise<WorkspaceEntry> {
    const abs = this.resolve(path);
    const rel = this.relative(abs);
    try {
      return { abs, rel, stats: await stat(abs) };
    } catch (error) {
      if (isMissing(error)) throw new FileNotFoundError(rel);
      throw error;
    }
  }

  private rebase(abs: string): string {
    if (this.givenRoot === this.root || !isWithin(this.givenRoot, abs)) return abs;
    return join(this.root, relative(this.givenRoot, abs));
  }
}

function isWithin(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * realpath for paths that may not exist: resolves the deepest existing
 * ancestor and appends the rest. A dangling symlink is followed to its
 * target, because writing through it would create the target, wherever it is.
 */
function realLocation(abs: string): string {
  const missing: string[] = [];
  let current = abs;
  for (;;) {
    try {
      return join(realpathSync(current), ...missing);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    const link = danglingLinkTarget(current);
    if (link !== undefined) {
      // Relative targets are relative to the link's real directory, not to the path we were given.
      current = resolve(realpathSync(dirname(current)), link);
      continue;
    }
    const parent = dirname(current);
    if (parent === current) return join(current, ...missing);
    missing.unshift(basename(current));
    current = parent;
  }
}

function danglingLinkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
