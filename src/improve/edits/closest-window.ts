import { similarityRatio } from './similarity.js';

/** A run of file lines, `[start, start + length)`, and how alike it is to the SEARCH lines. */
export interface Window {
  start: number;
  length: number;
  ratio: number;
}

/** How many of the best-looking windows get the exact (and costlier) character comparison. */
const EXACT_COMPARISONS = 24;

/**
 * The runs of lines most like `search`, best first, each at least `floor`
 * alike. Runs are 10% shorter to 10% longer than the search (a model drops or
 * adds a line or two). A cheap word-overlap score picks the runs worth a
 * character-level comparison, so a large file costs one pass per length.
 * Indentation is ignored: it is repaired when the replacement is placed.
 */
export function closestWindows(file: readonly string[], search: readonly string[], floor: number): Window[] {
  const n = search.length;
  if (n === 0 || file.length === 0) return [];
  const minLength = Math.max(1, Math.floor(n * 0.9));
  const maxLength = Math.min(file.length, Math.max(n, Math.ceil(n * 1.1)));
  const ids = new Map<string, number>();
  const fileWords = file.map((line) => wordIds(line, ids));
  const searchCounts = new Map<number, number>();
  let searchWords = 0;
  for (const line of search) {
    for (const id of wordIds(line, ids)) {
      searchCounts.set(id, (searchCounts.get(id) ?? 0) + 1);
      searchWords++;
    }
  }
  const scored: Array<{ start: number; length: number; score: number }> = [];
  for (let length = minLength; length <= maxLength; length++) {
    const counts = new Map<number, number>();
    let overlap = 0;
    let words = 0;
    const add = (line: number, sign: 1 | -1) => {
      for (const id of fileWords[line]!) {
        const want = searchCounts.get(id) ?? 0;
        const have = counts.get(id) ?? 0;
        if (sign === 1 && have < want) overlap++;
        if (sign === -1 && have <= want) overlap--;
        counts.set(id, have + sign);
        words += sign;
      }
    };
    for (let line = 0; line < file.length; line++) {
      add(line, 1);
      if (line >= length) add(line - length, -1);
      if (line >= length - 1) {
        const total = searchWords + words;
        scored.push({ start: line - length + 1, length, score: total === 0 ? 0 : (2 * overlap) / total });
      }
    }
  }
  scored.sort((a, b) => b.score - a.score || a.start - b.start || a.length - b.length);
  const wanted = normalised(search);
  const windows: Window[] = [];
  for (const candidate of scored.slice(0, EXACT_COMPARISONS)) {
    const text = normalised(file.slice(candidate.start, candidate.start + candidate.length));
    const ratio = similarityRatio(wanted, text, floor);
    if (ratio >= floor && ratio > 0)
      windows.push({ start: candidate.start, length: candidate.length, ratio });
  }
  return windows.sort((a, b) => b.ratio - a.ratio || a.start - b.start);
}

function normalised(lines: readonly string[]): string {
  return lines.map((line) => line.trim()).join('\n');
}

function wordIds(line: string, ids: Map<string, number>): number[] {
  const words = line.match(/\w+/g);
  if (!words) return [];
  return words.map((word) => {
    let id = ids.get(word);
    if (id === undefined) {
      id = ids.size;
      ids.set(word, id);
    }
    return id;
  });
}

export function overlaps(a: Window, b: Window): boolean {
  return a.start < b.start + b.length && b.start < a.start + a.length;
}
