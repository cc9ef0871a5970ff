import { indentOf, isBlank } from './text-lines.js';

/** Where a run of SEARCH lines sits in a file, and the replacement shaped for that spot. */
export interface Spot {
  start: number;
  end: number;
  lines: string[];
}

/** Every start index in `[from, to)` where `search` equals the file's lines exactly. */
export function findExact(
  file: readonly string[],
  search: readonly string[],
  from = 0,
  to = file.length,
): number[] {
  const found: number[] = [];
  const last = to - search.length;
  outer: for (let i = from; i <= last; i++) {
    for (let j = 0; j < search.length; j++) if (file[i + j] !== search[j]) continue outer;
    found.push(i);
  }
  return found;
}

/**
 * Every place where `search` matches once indentation is shifted by one
 * uniform amount and trailing spaces are ignored: the mistakes models make
 * most (code quoted without its indentation, or with a different one).
 * Each spot carries `replace` moved by the same shift, so the new lines sit
 * at the file's indentation.
 */
export function findLoose(
  file: readonly string[],
  search: readonly string[],
  replace: readonly string[],
  from = 0,
  to = file.length,
): Spot[] {
  if (search.every(isBlank)) return [];
  const cut = commonIndent([...search, ...replace]);
  const wanted = search.map((line) => (isBlank(line) ? '' : line.slice(cut).trimEnd()));
  const spots: Spot[] = [];
  const last = to - search.length;
  for (let i = from; i <= last; i++) {
    const shift = uniformShift(file, i, wanted);
    if (shift === undefined) continue;
    spots.push({
      start: i,
      end: i + search.length,
      lines: replace.map((line) => (isBlank(line) ? '' : shift + line.slice(cut))),
    });
  }
  return spots;
}

/** The one whitespace prefix that turns every `wanted` line into the file's line at `at + j`, if any. */
function uniformShift(file: readonly string[], at: number, wanted: readonly string[]): string | undefined {
  let shift: string | undefined;
  for (let j = 0; j < wanted.length; j++) {
    const line = file[at + j]!.trimEnd();
    const part = wanted[j]!;
    if (part === '') {
      if (line !== '') return undefined;
      continue;
    }
    if (!line.endsWith(part)) return undefined;
    const prefix = line.slice(0, line.length - part.length);
    if (prefix.trim() !== '') return undefined;
    if (shift === undefined) shift = prefix;
    else if (shift !== prefix) return undefined;
  }
  return shift;
}

/** The number of leading whitespace characters all non-blank lines share. */
function commonIndent(lines: readonly string[]): number {
  let least = Number.POSITIVE_INFINITY;
  for (const line of lines) if (!isBlank(line)) least = Math.min(least, indentOf(line).length);
  return Number.isFinite(least) ? least : 0;
}

/**
 * `replace` moved from the indentation its SEARCH had to the one the file
 * has at the matched place, for matches that do not line up line by line.
 */
export function reindent(replace: readonly string[], searchIndent: string, fileIndent: string): string[] {
  if (searchIndent === fileIndent) return [...replace];
  if (fileIndent.startsWith(searchIndent)) {
    const add = fileIndent.slice(searchIndent.length);
    return replace.map((line) => (isBlank(line) ? '' : add + line));
  }
  if (searchIndent.startsWith(fileIndent)) {
    const drop = searchIndent.length - fileIndent.length;
    return replace.map((line) => (isBlank(line) ? '' : line.slice(Math.min(drop, indentOf(line).length))));
  }
  return [...replace];
}

export function firstIndent(lines: readonly string[]): string {
  const line = lines.find((l) => !isBlank(l));
  return line === undefined ? '' : indentOf(line);
}

/** `lines` without blank lines at either end, and how many were dropped at each. */
export function trimBlankEdges(lines: readonly string[]): { lines: string[]; head: number; tail: number } {
  let head = 0;
  let tail = 0;
  while (head < lines.length && isBlank(lines[head]!)) head++;
  while (tail < lines.length - head && isBlank(lines[lines.length - 1 - tail]!)) tail++;
  return { lines: lines.slice(head, lines.length - tail), head, tail };
}
