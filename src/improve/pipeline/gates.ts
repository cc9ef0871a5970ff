import type { GateRecord } from './candidate-result.js';

/**
 * The checks a candidate's worktree must pass against the baseline taken
 * before any change: no new lint errors, no new type errors, every test that
 * passed still passing, each within its time bound.
 */
export interface GateRunner {
  /** False when changes cannot be kept at all (a repository with no tests, without --no-tests). */
  readonly canKeep: boolean;
  readonly cannotKeepReason: string;
  /** How long the tests took at baseline. */
  readonly baselineTestMs?: number;
  check(dir: string, signal?: AbortSignal): Promise<{ gates: GateRecord[]; testMs?: number }>;
}
