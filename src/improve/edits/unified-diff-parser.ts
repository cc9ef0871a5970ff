import type { EditBlock } from './edit-block.js';
import { EditParseError } from './errors.js';
import { splitKeepingEnds } from './search-replace-parser.js';

const OLD_FILE = /^--- (\S.*?)\s*$/;
const NEW_FILE = /^\+\+\+ (\S.*?)\s*$/;
const HUNK = /^@@ .*@@/;

/** Whether a reply carries a unified diff: a `---`/`+++` header pair followed by a hunk. */
export function looksLikeUnifiedDiff(reply: string): boolean {
  return /^--- .*\n\+\+\+ .*\n@@/m.test(reply.replace(/\r\n/g, '\n'));
}

/**
 * Reads a unified diff (as `git diff` or a model writes it) into edit
 * blocks: each hunk becomes one block whose SEARCH is its context and removed
 * lines and whose REPLACE is its context and added lines, so hunks go through
 * the same matching ladder as SEARCH/REPLACE blocks. The line numbers in
 * `@@` headers are ignored: models get them wrong, and the context places
 * the hunk. A file created from `/dev/null` becomes a block with an empty
 * SEARCH. Deleting a file is refused: that is not an edit this applier makes.
 */
export function parseUnifiedDiff(reply: string): EditBlock[] {
  const lines = splitKeepingEnds(reply.replace(/\r\n/g, '\n'));
  const blocks: EditBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const oldHeader = OLD_FILE.exec(trimEnd(lines[i]!));
    const newHeader = i + 1 < lines.length ? NEW_FILE.exec(trimEnd(lines[i + 1]!)) : null;
    if (!oldHeader || !newHeader) {
      i++;
      continue;
    }
    const oldPath = diffPath(oldHeader[1]!);
    const newPath = diffPath(newHeader[1]!);
    if (newPath === undefined) {
      throw new EditParseError(
        'malformed-diff',
        i + 2,
        `the diff deletes ${oldPath ?? 'a file'}; deleting files is not an edit this applier makes`,
        blocks,
      );
    }
    i += 2;
    let hunks = 0;
    while (i < lines.length && HUNK.test(lines[i]!)) {
      const start = i + 1;
      const search: string[] = [];
      const replace: string[] = [];
      i++;
      for (; i < lines.length; i++) {
        const line = lines[i]!;
        if (HUNK.test(line) || (line.startsWith('--- ') && NEW_FILE.test(trimEnd(lines[i + 1] ?? '')))) break;
        const body = line.slice(1);
        if (line.startsWith(' ')) {
          search.push(body);
          replace.push(body);
        } else if (line.startsWith('-')) {
          search.push(body);
        } else if (line.startsWith('+')) {
          replace.push(body);
        } else if (line === '\n') {
          // An empty context line whose leading space was stripped (editors and models both do this).
          search.push(line);
          replace.push(line);
        } else if (line.startsWith('\\')) {
          dropFinalNewline(search, replace, lines[i - 1]!);
        } else {
          break;
        }
      }
      hunks++;
      blocks.push({
        path: newPath,
        search: search.join(''),
        replace: replace.join(''),
        line: start,
      });
    }
    if (hunks === 0) {
      throw new EditParseError('malformed-diff', i + 1, `the diff of ${newPath} has no @@ hunk`, blocks);
    }
  }
  return blocks;
}

/** `a/src/x.ts` → `src/x.ts`; `/dev/null` → undefined; a trailing tab and timestamp are dropped. */
function diffPath(raw: string): string | undefined {
  const path = raw.split('\t')[0]!.trim();
  if (path === '/dev/null') return undefined;
  return path.replace(/^[ab]\//, '');
}

/** `\ No newline at end of file` applies to the line just before it, on whichever side it was. */
function dropFinalNewline(search: string[], replace: string[], previous: string): void {
  const strip = (side: string[]) => {
    const last = side.length - 1;
    if (last >= 0) side[last] = side[last]!.replace(/\n$/, '');
  };
  if (!previous.startsWith('+')) strip(search);
  if (!previous.startsWith('-')) strip(replace);
}

function trimEnd(line: string): string {
  return line.replace(/\s+$/, '');
}
