import { closestWindows, overlaps } from './closest-window.js';
import { locateElided } from './elision.js';
import type { MatchProblem } from './errors.js';
import { findExact, findLoose, firstIndent, reindent, type Spot, trimBlankEdges } from './line-search.js';
import { isBlank } from './text-lines.js';

/** Which rung of the ladder placed a block, from the strictest down. */
export type MatchRung = 'exact' | 'whitespace' | 'elision' | 'similar';

export const DEFAULT_MIN_SIMILARITY = 0.8;

/**
 * Below this many non-blank SEARCH lines the similarity rung is not tried: a
 * line or two that is 80% alike is most often a different line (`x = 1` and
 * `x = 2`), and replacing it would silently change the wrong code.
 */
export const MIN_SIMILAR_LINES = 3;

export interface Placement extends Spot {
  rung: MatchRung;
  /** For the similarity rung: how alike the replaced lines were (0 to 1). */
  similarity?: number;
}

export type Located =
  | { placement: Placement }
  | { problem: Exclude<MatchProblem, 'file-missing' | 'file-exists'>; detail: string; locations?: number[] };

/**
 * Finds the one place in `file` where `search` belongs, trying each rung in
 * turn: exact lines; the same lines with indentation shifted uniformly,
 * trailing spaces ignored and blank lines at the block's edges dropped; `...`
 * elision; and at least `minSimilarity` alike. A rung that finds more than one
 * place stops the ladder: a lower rung would be less sure, not more.
 */
export function locate(
  file: readonly string[],
  search: readonly string[],
  replace: readonly string[],
  minSimilarity = DEFAULT_MIN_SIMILARITY,
): Located {
  const exact = findExact(file, search);
  if (exact.length > 1) return ambiguous(exact, 'exactly');
  if (exact.length === 1) {
    const start = exact[0]!;
    return { placement: { start, end: start + search.length, lines: [...replace], rung: 'exact' } };
  }
  const loose = looseSpots(file, search, replace);
  if (loose.length > 1)
    return ambiguous(
      loose.map((spot) => spot.start),
      'once indentation is ignored',
    );
  if (loose.length === 1) return { placement: { ...loose[0]!, rung: 'whitespace' } };
  const elided = locateElided(file, search, replace);
  if (elided !== undefined)
    return 'spot' in elided ? { placement: { ...elided.spot, rung: 'elision' } } : elided;
  if (search.filter((line) => !isBlank(line)).length >= MIN_SIMILAR_LINES) {
    const windows = closestWindows(file, search, minSimilarity);
    const best = windows[0];
    if (best) {
      const rival = windows.find((w) => !overlaps(w, best));
      if (rival) {
        return ambiguous(
          [best.start, rival.start].sort((a, b) => a - b),
          `at least ${Math.round(minSimilarity * 100)}% alike`,
        );
      }
      const matched = file.slice(best.start, best.start + best.length);
      return {
        placement: {
          start: best.start,
          end: best.start + best.length,
          lines: reindent(replace, firstIndent(search), firstIndent(matched)),
          rung: 'similar',
          similarity: best.ratio,
        },
      };
    }
  }
  return { problem: 'no-match', detail: 'the SEARCH text matches nothing in the file' };
}

/** Indentation-tolerant matches, first of the whole block, then without its blank edge lines. */
function looseSpots(file: readonly string[], search: readonly string[], replace: readonly string[]): Spot[] {
  const whole = findLoose(file, search, replace);
  if (whole.length > 0) return whole;
  const trimmed = trimBlankEdges(search);
  if (trimmed.lines.length === 0 || trimmed.head + trimmed.tail === 0) return [];
  // The model's stray blank lines usually frame its REPLACE the same way; drop as many there.
  const replaceEdges = trimBlankEdges(replace);
  const head = Math.min(trimmed.head, replaceEdges.head);
  const tail = Math.min(trimmed.tail, replaceEdges.tail);
  const shortened = replace.slice(head, replace.length - tail);
  const exact = findExact(file, trimmed.lines);
  if (exact.length > 0) {
    return exact.map((start) => ({ start, end: start + trimmed.lines.length, lines: shortened }));
  }
  return findLoose(file, trimmed.lines, shortened);
}

function ambiguous(starts: readonly number[], how: string): Located {
  const lines = starts.map((start) => start + 1);
  return {
    problem: 'ambiguous',
    detail: `the SEARCH text matches ${starts.length} places ${how} (lines ${lines.join(', ')}); it must match one`,
    locations: lines,
  };
}
