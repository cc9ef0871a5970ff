import { createHash } from 'node:crypto';

/**
 * Tasks that differ only in case, spacing or trailing punctuation are the same
 * task for the cycle guard: an agent that hands "Fix the bug." back as
 * "fix the bug" is still looping.
 */
export function normaliseTask(task: string): string {
  return task
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.!?;:,]+$/u, '')
    .trim();
}

export function taskFingerprint(task: string): string {
  return createHash('sha256').update(normaliseTask(task)).digest('hex').slice(0, 12);
}
