import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClonePair } from './duplicates.js';
import type { FileFacts } from './facts.js';
import type { ImportGraph } from './import-graph.js';

/**
 * Bumped whenever what is stored changes meaning (new fields, different
 * counting), so an older cache is ignored rather than misread.
 */
export const CACHE_VERSION = 1;
const CACHE_FILE = 'analysis-cache.json';

interface StoredCache {
  version: number;
  files: Record<string, FileFacts>;
  duplicates?: { key: string; pairs: ClonePair[] };
  imports?: { key: string; graph: ImportGraph };
}

/**
 * Analysis results keyed by content hash: a file whose bytes did not change
 * is not parsed again, wherever it moved. The duplicate pairs are kept under
 * a key over every file's hash and the options, so an unchanged repository
 * is not even tokenised again; the import graph likewise (a key over every
 * file's hash and the Go modules), so an unchanged repository does not
 * resolve its imports again either. One JSON file, replaced atomically, holding
 * only what the last run used.
 */
export class AnalysisCache {
  private readonly used = new Map<string, FileFacts>();
  private duplicates: StoredCache['duplicates'];
  private imports: StoredCache['imports'];

  private constructor(
    private readonly dir: string | undefined,
    private readonly stored: StoredCache,
  ) {
    this.duplicates = stored.duplicates;
    this.imports = stored.imports;
  }

  /** Opens the cache in `dir` (nothing is kept when undefined); a missing, old or damaged file starts empty. */
  static async open(dir: string | undefined): Promise<AnalysisCache> {
    const empty: StoredCache = { version: CACHE_VERSION, files: {} };
    if (dir === undefined) return new AnalysisCache(undefined, empty);
    try {
      const stored = JSON.parse(await readFile(join(dir, CACHE_FILE), 'utf8')) as StoredCache;
      return new AnalysisCache(dir, stored.version === CACHE_VERSION && stored.files ? stored : empty);
    } catch {
      return new AnalysisCache(dir, empty);
    }
  }

  facts(key: string): FileFacts | undefined {
    const facts = this.stored.files[key];
    if (facts) this.used.set(key, facts);
    return facts;
  }

  remember(key: string, facts: FileFacts): void {
    this.used.set(key, facts);
  }

  duplicatePairs(key: string): ClonePair[] | undefined {
    return this.duplicates?.key === key ? this.duplicates.pairs : undefined;
  }

  rememberDuplicates(key: string, pairs: ClonePair[]): void {
    this.duplicates = { key, pairs };
  }

  importGraph(key: string): ImportGraph | undefined {
    return this.imports?.key === key ? this.imports.graph : undefined;
  }

  rememberImportGraph(key: string, graph: ImportGraph): void {
    this.imports = { key, graph };
  }

  /** Writes what this run used (and only that), through a temporary file and a rename. */
  async save(): Promise<void> {
    if (this.dir === undefined) return;
    const unchanged =
      this.duplicates === this.stored.duplicates &&
      this.imports === this.stored.imports &&
      this.used.size === Object.keys(this.stored.files).length &&
      [...this.used.keys()].every((key) => this.stored.files[key] !== undefined);
    if (unchanged) return;
    const data: StoredCache = {
      version: CACHE_VERSION,
      files: Object.fromEntries(this.used),
      ...(this.duplicates ? { duplicates: this.duplicates } : {}),
      ...(this.imports ? { imports: this.imports } : {}),
    };
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.${CACHE_FILE}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, JSON.stringify(data));
      await rename(temp, join(this.dir, CACHE_FILE));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
