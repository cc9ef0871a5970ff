import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import { writeTextAtomic } from './atomic-write.js';
import { ResearchIndexError } from './errors.js';

const paperRecordSchema = z.strictObject({
  version: z.number().int().positive(),
  title: z.string(),
  /** Relative to the project directory. */
  note: z.string(),
  score: z.number(),
  modules: z.array(z.string()),
  summary: z.enum(['model', 'extractive']),
  firstSeen: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type PaperRecord = z.infer<typeof paperRecordSchema>;

const indexSchema = z.strictObject({
  format: z.literal(1),
  papers: z.record(z.string(), paperRecordSchema),
  /** Links from improvements.md already processed, with when. */
  links: z.record(z.string(), z.iso.datetime()),
  /** Papers ranked below the top N, at the version seen: not ranked again until a new version. */
  passed: z
    .record(z.string(), z.strictObject({ version: z.number().int().positive(), at: z.iso.datetime() }))
    .default({}),
});
type IndexData = z.infer<typeof indexSchema>;

/**
 * What earlier runs did, by arXiv id (without version): which papers have a
 * note and at which version, and which links from improvements.md were
 * processed. Kept beside the notes (`data/research/index.json`) so that it
 * travels with them.
 */
export class ResearchIndex {
  private constructor(
    readonly file: string,
    private readonly data: IndexData,
  ) {}

  static async load(file: string): Promise<ResearchIndex> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return new ResearchIndex(file, { format: 1, papers: {}, links: {}, passed: {} });
      }
      throw new ResearchIndexError(file, errorMessage(error));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ResearchIndexError(file, `not JSON (${errorMessage(error)})`);
    }
    const parsed = indexSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ResearchIndexError(file, `${issue.path.join('.') || 'the file'}: ${issue.message}`);
    }
    return new ResearchIndex(file, parsed.data);
  }

  get(id: string): PaperRecord | undefined {
    return this.data.papers[id];
  }

  set(id: string, record: PaperRecord): void {
    this.data.papers[id] = record;
    delete this.data.passed[id];
  }

  get size(): number {
    return Object.keys(this.data.papers).length;
  }

  /** The version at which the paper was ranked below the top N, if it was. */
  passedVersion(id: string): number | undefined {
    return this.data.passed[id]?.version;
  }

  markPassed(id: string, version: number, at: string): void {
    this.data.passed[id] = { version, at };
  }

  hasLink(url: string): boolean {
    return this.data.links[url] !== undefined;
  }

  markLink(url: string, at: string): void {
    this.data.links[url] = at;
  }

  save(): Promise<void> {
    return writeTextAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}
