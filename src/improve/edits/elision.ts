import { findExact, findLoose, firstIndent, reindent, type Spot } from './line-search.js';
import { isBlank } from './text-lines.js';

/**
 * A line standing for code left out: `...`, `…`, or a comment that starts
 * with one (`// ... existing code ...`, `# ...`). Code such as `...args`
 * is not, because a comment marker or nothing else must surround the dots.
 */
const ELISION = /^\s*(?:\.\.\.|…|(?:\/\/|#|--|\/\*|<!--)\s*(?:\.\.\.|…).*)\s*$/;

export function isElision(line: string): boolean {
  return ELISION.test(line);
}

export type Elided =
  | { spot: Spot }
  | { problem: 'no-match' | 'ambiguous' | 'elision-mismatch'; detail: string; locations?: number[] };

/**
 * Places a SEARCH that leaves code out with `...` lines. Its pieces must
 * appear in the file in order, the first one exactly once. When REPLACE has
 * the same `...` lines, each piece is replaced by its counterpart and the
 * code in between is kept; when REPLACE has none, everything from the first
 * piece to the last is replaced. Returns undefined when SEARCH has no `...`.
 */
export function locateElided(
  file: readonly string[],
  search: readonly string[],
  replace: readonly string[],
): Elided | undefined {
  const searchPieces = splitPieces(search);
  if (searchPieces.length === 1) return undefined;
  const replacePieces = splitPieces(replace);
  const paired = replacePieces.length === searchPieces.length;
  if (!paired && replacePieces.length !== 1) {
    return {
      problem: 'elision-mismatch',
      detail: `SEARCH has ${searchPieces.length - 1} \`...\` lines and REPLACE has ${replacePieces.length - 1}; they must have the same, or REPLACE none`,
    };
  }
  const pieces = searchPieces.map((piece, k) => ({
    search: piece,
    replace: paired ? replacePieces[k]! : [],
  }));
  if (pieces.some((piece) => piece.search.every(isBlank) && !piece.replace.every(isBlank))) {
    return {
      problem: 'elision-mismatch',
      detail:
        'new lines next to a `...` have no SEARCH lines around them to anchor them; add the neighbouring lines',
    };
  }
  const anchored = pieces.filter((piece) => !piece.search.every(isBlank));
  const first = anchored[0]!;
  const starts = candidates(file, first.search, first.replace, 0);
  const chains = starts.map((spot) => chain(file, spot, anchored.slice(1))).filter((c) => c !== undefined);
  if (chains.length === 0) {
    return {
      problem: 'no-match',
      detail: 'the pieces of the SEARCH text around `...` were not found in order',
    };
  }
  if (chains.length > 1) {
    return {
      problem: 'ambiguous',
      detail: `the SEARCH text around \`...\` matches ${chains.length} places`,
      locations: chains.map((c) => c[0]!.start + 1),
    };
  }
  const spots = chains[0]!;
  const start = spots[0]!.start;
  const end = spots.at(-1)!.end;
  if (!paired) {
    const fileIndent = firstIndent(file.slice(start, spots[0]!.end));
    return { spot: { start, end, lines: reindent(replace, firstIndent(first.search), fileIndent) } };
  }
  const lines: string[] = [];
  let cursor = start;
  for (const spot of spots) {
    lines.push(...file.slice(cursor, spot.start), ...spot.lines);
    cursor = spot.end;
  }
  return { spot: { start, end, lines } };
}

function splitPieces(lines: readonly string[]): string[][] {
  const pieces: string[][] = [[]];
  for (const line of lines) {
    if (isElision(line)) pieces.push([]);
    else pieces.at(-1)!.push(line);
  }
  return pieces;
}

/** Where a piece matches at or after `from`: exactly if it can, else with its indentation shifted. */
function candidates(
  file: readonly string[],
  search: readonly string[],
  replace: readonly string[],
  from: number,
): Spot[] {
  const exact = findExact(file, search, from);
  if (exact.length > 0)
    return exact.map((start) => ({ start, end: start + search.length, lines: [...replace] }));
  return findLoose(file, search, replace, from);
}

/** The rest of the pieces, each at its first match after the previous one, or undefined if one is missing. */
function chain(
  file: readonly string[],
  first: Spot,
  rest: ReadonlyArray<{ search: string[]; replace: string[] }>,
): Spot[] | undefined {
  const spots = [first];
  for (const piece of rest) {
    const next = candidates(file, piece.search, piece.replace, spots.at(-1)!.end)[0];
    if (!next) return undefined;
    spots.push(next);
  }
  return spots;
}
