import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { languageOf, type SourceLanguage } from './languages.js';

/** Directories that hold dependencies, build output, caches or history rather than the project's own code. */
export const DEFAULT_SKIPPED_DIRS: readonly string[] = [
  '.git',
  'node_modules',
  'dist',
  'build',
  'coverage',
  '.venv',
  'venv',
  '__pycache__',
  '.next',
  '.turbo',
  'vendor',
  'target',
];

/** Swarm's own working data (this cache among it): not the project's, so not even reported as skipped. */
const OWN_DIR = '.swarm';

/** Larger files are generated or data in all but name; parsing them costs more than they tell. */
export const DEFAULT_MAX_FILE_BYTES = 512 * 1024;

export interface SkippedPath {
  path: string;
  reason: string;
}

export interface SourceFile {
  /** Relative to the root, `/`-separated. */
  path: string;
  abs: string;
  language: SourceLanguage;
  bytes: number;
}

export interface SourceListing {
  files: SourceFile[];
  skipped: SkippedPath[];
  /** Files in no analysed language (docs, configs, assets), counted, not read. */
  otherFiles: number;
}

export interface ListOptions {
  skipDirs?: readonly string[];
  maxFileBytes?: number;
}

/**
 * The source files under `root`, in path order. Dependency, build and cache
 * directories are left out, as are symbolic links (never followed, so a
 * link cannot lead outside or loop) and files over the size limit; each is
 * listed in `skipped` with its reason. Binary and minified files are only
 * recognised once read, by the analysis. Synchronous: one directory entry
 * after another is several times faster than a promise for each.
 */
export function listSourceFiles(root: string, options: ListOptions = {}): SourceListing {
  const skipDirs = new Set(options.skipDirs ?? DEFAULT_SKIPPED_DIRS);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const listing: SourceListing = { files: [], skipped: [], otherFiles: 0 };
  const visit = (abs: string, rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (error) {
      listing.skipped.push({
        path: rel || '.',
        reason: `unreadable: ${(error as NodeJS.ErrnoException).code}`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const full = join(abs, entry.name);
      if (entry.isSymbolicLink()) {
        listing.skipped.push({ path, reason: 'symbolic link (not followed)' });
      } else if (entry.isDirectory()) {
        if (entry.name === OWN_DIR) continue;
        if (skipDirs.has(entry.name))
          listing.skipped.push({ path, reason: 'dependency, build or cache directory' });
        else visit(full, path);
      } else if (entry.isFile()) {
        const language = languageOf(entry.name);
        if (!language) {
          listing.otherFiles++;
          continue;
        }
        const { size } = statSync(full);
        if (size > maxBytes)
          listing.skipped.push({ path, reason: `${size} bytes, over the ${maxBytes}-byte limit` });
        else listing.files.push({ path, abs: full, language, bytes: size });
      }
    }
  };
  visit(root, '');
  return listing;
}
