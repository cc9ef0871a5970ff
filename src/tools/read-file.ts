import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { BinaryFileError, IsDirectoryError, LineRangeError } from './errors.js';
import { isBinaryFile } from './text-file.js';
import { defineTool } from './tool.js';

/** Enough for any source file a model should read at once, small enough not to flood its context. */
export const READ_FILE_MAX_BYTES = 200 * 1024;

/** How often (in lines) a long read checks whether the run was cancelled. */
const ABORT_CHECK_LINES = 10_000;

const input = z
  .object({
    path: z.string().min(1).describe('Path of the file, relative to the workspace root.'),
    startLine: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('First line to return, counting from 1. Defaults to 1.'),
    endLine: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Last line to return, inclusive. Defaults to the end of the file.'),
  })
  .refine((a) => a.startLine === undefined || a.endLine === undefined || a.endLine >= a.startLine, {
    message: 'endLine must not be before startLine',
    path: ['endLine'],
  });

export const readFileTool = defineTool({
  name: 'read_file',
  description:
    'Read a text file of the workspace, whole or a range of lines. The answer starts with a header giving ' +
    `the path, the lines shown and the total number of lines. Output is capped at ${READ_FILE_MAX_BYTES / 1024} KB; ` +
    'when it is cut, the last line says which startLine reads on. Binary files are refused.',
  input,
  async execute({ path, startLine = 1, endLine }, { workspace, signal }) {
    const { abs, rel, stats } = await workspace.stat(path);
    if (stats.isDirectory()) throw new IsDirectoryError(rel);
    if (await isBinaryFile(abs)) throw new BinaryFileError(rel);

    const lines: string[] = [];
    let bytes = 0;
    let total = 0;
    let lastShown = startLine - 1;
    let capped = false;
    let cutLine = false;
    const stream = createReadStream(abs, { encoding: 'utf8' });
    try {
      for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
        total++;
        if (total % ABORT_CHECK_LINES === 0) signal.throwIfAborted();
        // Past the range or the cap the file is still read to the end, so the header can give the total.
        if (total < startLine || capped || (endLine !== undefined && total > endLine)) continue;
        const size = Buffer.byteLength(line) + 1;
        if (bytes + size > READ_FILE_MAX_BYTES) {
          capped = true;
          if (lines.length > 0) continue;
          lines.push(cutToBytes(line, READ_FILE_MAX_BYTES));
          cutLine = true;
          lastShown = total;
          continue;
        }
        lines.push(line);
        bytes += size;
        lastShown = total;
      }
    } finally {
      stream.destroy();
    }

    if (total === 0) return `${rel} (empty file)`;
    if (startLine > total) throw new LineRangeError(rel, startLine, total);
    const header = `${rel} (lines ${startLine}-${lastShown} of ${total})`;
    const body = lines.join('\n');
    if (!capped) return `${header}\n${body}`;
    const cap = `${READ_FILE_MAX_BYTES / 1024} KB`;
    const reason = cutLine
      ? `line ${lastShown} alone is longer than ${cap} and was cut`
      : `output capped at ${cap}`;
    const next =
      lastShown < total
        ? `; call read_file with startLine: ${lastShown + 1} to read on`
        : '; the rest of that line cannot be shown';
    return `${header}\n${body}\n[truncated: ${reason}${next}]`;
  },
});

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
function cutToBytes(text: string, maxBytes: number): string {
  const encoded = Buffer.from(text, 'utf8').subarray(0, maxBytes);
  // A trailing partial character decodes to U+FFFD; drop it.
  return encoded.toString('utf8').replace(/\uFFFD$/, '');
}
