import type { EditBlock } from './edit-block.js';
import { EditParseError } from './errors.js';

// Models write anything from 5 to 9 markers; the canonical form has 7.
const HEAD = /^<{5,9} SEARCH\s*$/;
const DIVIDER = /^={5,9}\s*$/;
const UPDATED = /^>{5,9} REPLACE\s*$/;

const SHELL_FENCES = [
  '```bash',
  '```sh',
  '```shell',
  '```cmd',
  '```batch',
  '```powershell',
  '```ps1',
  '```zsh',
  '```fish',
  '```ksh',
  '```csh',
  '```tcsh',
];

/** Opening fences Aider's prompts allow besides backticks; a model answers in the one it was shown. */
const TAG_FENCES = ['<source', '<code', '<pre', '<codeblock', '<sourcecode'];

/** How many lines above `<<<<<<< SEARCH` may hold the path (path, fence, fence). */
const PATH_LOOKBACK = 3;

export interface SearchReplaceParse {
  blocks: EditBlock[];
  commands: string[];
}

/**
 * Reads Aider-style SEARCH/REPLACE blocks from a model reply:
 *
 *     src/app.ts
 *     ```ts
 *     <<<<<<< SEARCH
 *     old lines
 *     =======
 *     new lines
 *     >>>>>>> REPLACE
 *     ```
 *
 * It accepts what real models write: no fences, the path on the fence line
 * (```` ```ts src/app.ts ````), the path in bold or backticks or after `#`,
 * 5 to 9 marker characters, trailing spaces, several blocks in one fence, a
 * block without a path continuing the previous file, an empty SEARCH for a
 * new file, and a second `=======` closing the REPLACE part. Shell fences are
 * returned as commands. A block cut off before its end throws
 * `EditParseError`: half an edit is never applied.
 */
export function parseSearchReplace(reply: string): SearchReplaceParse {
  const lines = splitKeepingEnds(reply);
  const blocks: EditBlock[] = [];
  const commands: string[] = [];
  let currentPath: string | undefined;
  let i = 0;
  while (i < lines.length) {
    const trimmed = lines[i]!.trim();
    const nextIsHead = i + 1 < lines.length && HEAD.test(lines[i + 1]!.trim());
    if (!nextIsHead && SHELL_FENCES.some((fence) => trimmed.startsWith(fence))) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith('```')) body.push(lines[i++]!);
      if (i < lines.length) i++;
      commands.push(body.join(''));
      continue;
    }
    if (!HEAD.test(trimmed)) {
      i++;
      continue;
    }
    const start = i;
    const path = pathAbove(lines, i) ?? currentPath;
    if (path === undefined) {
      throw new EditParseError(
        'missing-path',
        i + 1,
        'no file path before `<<<<<<< SEARCH`; it must be alone on the line before the opening fence',
        blocks,
      );
    }
    currentPath = path;
    const search: string[] = [];
    i++;
    while (i < lines.length && !DIVIDER.test(lines[i]!.trim())) search.push(lines[i++]!);
    if (i >= lines.length) {
      throw new EditParseError('missing-divider', i, `expected \`=======\` in the block for ${path}`, blocks);
    }
    const replace: string[] = [];
    i++;
    while (i < lines.length && !endsReplace(lines[i]!.trim())) replace.push(lines[i++]!);
    if (i >= lines.length) {
      throw new EditParseError(
        'cut-off',
        i,
        `the block for ${path} ends without \`>>>>>>> REPLACE\``,
        blocks,
      );
    }
    blocks.push({ path, search: search.join(''), replace: replace.join(''), line: start + 1 });
    i++;
  }
  return { blocks, commands };
}

function endsReplace(trimmed: string): boolean {
  return UPDATED.test(trimmed) || DIVIDER.test(trimmed);
}

/**
 * The path written above a block: the nearest line that is not a fence,
 * looking past at most two fence lines; failing that, a path in the info
 * string of the fence that opens the block.
 */
function pathAbove(lines: readonly string[], head: number): string | undefined {
  const found: string[] = [];
  for (let k = head - 1; k >= Math.max(0, head - PATH_LOOKBACK); k--) {
    const line = lines[k]!;
    const name = pathOnLine(line);
    if (name !== undefined) found.push(name);
    if (!isFenceLine(line)) break;
  }
  const chosen = found.find((name) => name.includes('.')) ?? found[0];
  if (chosen !== undefined) return chosen;
  const opening = head > 0 ? lines[head - 1]! : '';
  return isFenceLine(opening) ? pathInFenceInfo(opening) : undefined;
}

function isFenceLine(line: string): boolean {
  return line.startsWith('```') || TAG_FENCES.some((tag) => line.startsWith(tag));
}

/** A line holding only a path, perhaps decorated: `src/a.ts:`, `### src/a.ts`, `**src/a.ts**`, `` `src/a.ts` ``. */
function pathOnLine(line: string): string | undefined {
  let name = line.trim();
  if (name === '...' || isFenceLine(name)) return undefined;
  name = name.replace(/:+$/, '').replace(/^#+/, '').trim();
  name = trimChars(trimChars(name, '`'), '*');
  return name === '' ? undefined : name;
}

/** ```` ```python src/a.py ````, ```` ```ts:src/a.ts ````, ```` ```ts title="src/a.ts" ````. */
function pathInFenceInfo(line: string): string | undefined {
  const info = line.trim().replace(/^`+/, '');
  const words = info
    .split(/[\s:]+/)
    .map((word) => word.replace(/^[a-z]+=/i, '').replace(/^["']|["']$/g, ''))
    .filter((word) => /[./]/.test(word) && /\w/.test(word));
  return words.at(-1);
}

function trimChars(text: string, char: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === char) start++;
  while (end > start && text[end - 1] === char) end--;
  return text.slice(start, end);
}

/** Lines with their `\n` (or `\r\n`) kept, so the blocks keep the model's exact text. */
export function splitKeepingEnds(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
