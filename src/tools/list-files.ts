import { z } from 'zod';
import { pathFilter } from './glob.js';
import { defineTool } from './tool.js';
import { describeSkipped, SKIPPED_DIRS, walk } from './walk.js';

const skippedNames = [...SKIPPED_DIRS].join(', ');

const input = z.object({
  path: z
    .string()
    .min(1)
    .default('.')
    .describe('Directory to list, relative to the workspace root. Defaults to the root.'),
  recursive: z.boolean().default(true).describe('List subdirectories too. Defaults to true.'),
  glob: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Only list paths matching this pattern: `*` and `?` match within one path segment, `**` across segments. ' +
        'A pattern without `/` matches file names (`*.ts`); one with `/` matches the path (`src/**/*.test.ts`).',
    ),
  maxEntries: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(500)
    .describe('Stop after this many entries. Defaults to 500.'),
});

export const listFilesTool = defineTool({
  name: 'list_files',
  description:
    'List files and directories of the workspace, sorted, as paths relative to the workspace root; directories ' +
    `end with "/"; a symlinked directory whose contents are listed elsewhere shows its target after "->". ` +
    `${skippedNames} are left out unless path names one of them.`,
  input,
  async execute({ path, recursive, glob, maxEntries }, { workspace, signal }) {
    const start = await workspace.stat(path);
    if (!start.stats.isDirectory()) return start.rel;

    const matches = glob === undefined ? () => true : pathFilter(glob, start.rel);
    const skipped: string[] = [];
    const lines: string[] = [];
    let truncated = false;
    for await (const entry of walk(workspace, start.abs, {
      recursive,
      signal,
      onSkip: (rel) => skipped.push(rel),
    })) {
      if (!matches(entry.rel)) continue;
      if (lines.length === maxEntries) {
        truncated = true;
        break;
      }
      lines.push(
        entry.linkTo !== undefined
          ? `${entry.rel}/ -> ${entry.linkTo}/`
          : entry.dir
            ? `${entry.rel}/`
            : entry.rel,
      );
    }

    if (lines.length === 0) {
      lines.push(
        glob === undefined ? `(${start.rel} is empty)` : `(nothing under ${start.rel} matches ${glob})`,
      );
    }
    if (truncated) {
      lines.push(`[truncated after ${maxEntries} entries: narrow path or glob, or raise maxEntries]`);
    }
    if (skipped.length > 0) {
      lines.push(`[not listed: ${describeSkipped(skipped)}; pass one as path to list it]`);
    }
    return lines.join('\n');
  },
});
