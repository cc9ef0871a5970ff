import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { BinaryFileError, InvalidPatternError } from './errors.js';
import { pathFilter } from './glob.js';
import { looksBinary } from './text-file.js';
import { defineTool } from './tool.js';
import { describeSkipped, SKIPPED_DIRS, walk } from './walk.js';
import { isMissing } from './workspace.js';

/** Larger files are data or build output, not something to grep line by line. */
export const SEARCH_MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Minified lines would flood the answer; the match is still reported. */
const MAX_LINE_CHARS = 300;

const input = z.object({
  pattern: z
    .string()
    .min(1)
    .describe('Text to look for, or a JavaScript regular expression when regex is true.'),
  regex: z.boolean().default(false).describe('Treat pattern as a regular expression. Defaults to false.'),
  path: z
    .string()
    .min(1)
    .default('.')
    .describe('File or directory to search, relative to the workspace root. Defaults to the root.'),
  glob: z
    .string()
    .min(1)
    .optional()
    .describe('Only search files matching this pattern, e.g. `*.ts` (file names) or `src/**/*.ts` (paths).'),
  caseSensitive: z.boolean().default(false).describe('Match case exactly. Defaults to false.'),
  maxResults: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .describe('Stop after this many matching lines.'),
});

export const searchTextTool = defineTool({
  name: 'search_text',
  description:
    'Search the text files of the workspace for a string or regular expression. Each match is one ' +
    `"file:line: text" line. Binary files, files over ${SEARCH_MAX_FILE_BYTES / 1024 / 1024} MB and ` +
    `${[...SKIPPED_DIRS].join(', ')} are skipped unless path names them.`,
  input,
  async execute({ pattern, regex, path, glob, caseSensitive, maxResults }, { workspace, signal }) {
    const matcher = compile(pattern, regex, caseSensitive);
    const start = await workspace.stat(path);
    const single = !start.stats.isDirectory();
    const matches = glob === undefined ? () => true : pathFilter(glob, start.rel);
    const skipped: string[] = [];
    const found: string[] = [];
    let searched = 0;
    let tooLarge = 0;
    let stopped = false;

    const files = single
      ? [{ abs: start.abs, rel: start.rel, dir: false }]
      : walk(workspace, start.abs, { recursive: true, signal, onSkip: (rel) => skipped.push(rel) });
    scan: for await (const file of files) {
      if (file.dir || !matches(file.rel)) continue;
      signal.throwIfAborted();
      const text = await readText(file.abs);
      if (text === 'binary' && single) throw new BinaryFileError(file.rel);
      if (text === 'large') tooLarge++;
      if (typeof text !== 'object') continue;
      searched++;
      for (const [index, line] of text.lines.entries()) {
        if (!matcher.test(line)) continue;
        if (found.length === maxResults) {
          stopped = true;
          break scan;
        }
        found.push(`${file.rel}:${index + 1}: ${clip(line.trimEnd())}`);
      }
    }

    const notes: string[] = [];
    if (stopped) {
      notes.push(`[stopped at ${maxResults} matches: narrow pattern, path or glob, or raise maxResults]`);
    }
    if (tooLarge > 0)
      notes.push(`[${tooLarge} file(s) over ${SEARCH_MAX_FILE_BYTES / 1024 / 1024} MB not searched]`);
    if (skipped.length > 0)
      notes.push(`[not searched: ${describeSkipped(skipped)}; pass one as path to search it]`);
    if (found.length === 0) {
      const what = regex ? `/${pattern}/` : JSON.stringify(pattern);
      found.push(`no matches for ${what} in ${start.rel} (${searched} file(s) searched)`);
    }
    return [...found, ...notes].join('\n');
  },
});

function compile(pattern: string, regex: boolean, caseSensitive: boolean): RegExp {
  const flags = caseSensitive ? '' : 'i';
  if (!regex) return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    // V8 repeats the pattern in its message ("Invalid regular expression: /(/i: ..."); keep only the reason.
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    throw new InvalidPatternError(pattern, reason);
  }
}

async function readText(abs: string): Promise<{ lines: string[] } | 'binary' | 'large' | 'gone'> {
  try {
    if ((await stat(abs)).size > SEARCH_MAX_FILE_BYTES) return 'large';
    const buffer = await readFile(abs);
    if (looksBinary(buffer)) return 'binary';
    const lines = buffer.toString('utf8').split(/\r?\n/);
    // A final newline ends the last line; it does not start another one.
    if (lines.at(-1) === '') lines.pop();
    return { lines };
  } catch (error) {
    // Deleted or replaced while the search ran; the next file is still worth searching.
    if (isMissing(error)) return 'gone';
    throw error;
  }
}

function clip(line: string): string {
  return line.length <= MAX_LINE_CHARS ? line : `${line.slice(0, MAX_LINE_CHARS)}…`;
}
