import { closestWindows } from './closest-window.js';

/** Below this, the closest lines are too unlike the SEARCH text to be worth showing. */
const FLOOR = 0.5;
/** Lines shown before and after the closest run, so the model can widen its SEARCH. */
const CONTEXT = 3;

/**
 * The lines of the file closest to a SEARCH text that matched nothing, with
 * their line numbers (`  41 │ code`), or undefined if nothing comes near.
 */
export function didYouMean(file: readonly string[], search: readonly string[]): string | undefined {
  const best = closestWindows(file, search, FLOOR)[0];
  if (!best) return undefined;
  const from = Math.max(0, best.start - CONTEXT);
  const to = Math.min(file.length, best.start + best.length + CONTEXT);
  return numbered(file, from, to);
}

/** Lines `[from, to)` of a file as `  41 │ code`. */
export function numbered(file: readonly string[], from: number, to: number): string {
  const width = String(to).length;
  return file
    .slice(from, to)
    .map((line, k) => `${String(from + k + 1).padStart(width)} │ ${line}`)
    .join('\n');
}
