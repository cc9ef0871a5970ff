import { SwarmError } from '../../core/errors.js';
import type { EditBlock } from './edit-block.js';

export type EditParseProblem = 'missing-path' | 'missing-divider' | 'cut-off' | 'malformed-diff';

/**
 * A reply whose edit blocks cannot be read: a block cut off before its end
 * marker, a missing `=======`, a block with no file path. Nothing is applied;
 * `parsed` holds the blocks that were complete before the broken one.
 */
export class EditParseError extends SwarmError {
  readonly problem: EditParseProblem;
  /** 1-based line of the reply where reading stopped. */
  readonly line: number;
  readonly parsed: readonly EditBlock[];

  constructor(problem: EditParseProblem, line: number, detail: string, parsed: readonly EditBlock[]) {
    super('edit_parse', `edit block unreadable at line ${line} of the reply: ${detail}`, {
      hint: HINTS[problem],
    });
    this.problem = problem;
    this.line = line;
    this.parsed = parsed;
  }
}

const HINTS: Record<EditParseProblem, string> = {
  'missing-path':
    'Put the file path alone on the line before the opening fence of each SEARCH/REPLACE block.',
  'missing-divider':
    'Each block needs `<<<<<<< SEARCH`, the lines to find, `=======`, the new lines, `>>>>>>> REPLACE`.',
  'cut-off':
    'The reply ended inside a block (often the output token limit): resend that block complete, ending with `>>>>>>> REPLACE`.',
  'malformed-diff':
    'Write each file as `--- a/path`, `+++ b/path`, then hunks starting with `@@`; or use SEARCH/REPLACE blocks.',
};

export type MatchProblem = 'no-match' | 'ambiguous' | 'file-missing' | 'file-exists' | 'elision-mismatch';

/** Why one block could not be placed, with what the model needs to fix it. */
export interface MatchFailure {
  /** Index of the block in the list that was applied. */
  index: number;
  block: EditBlock;
  problem: MatchProblem;
  detail: string;
  /** The closest lines of the file, numbered, when something came near. */
  didYouMean?: string;
  /** 1-based first lines of each place the SEARCH text matched, for an ambiguous block. */
  locations?: number[];
  /** The REPLACE text is already in the file: the edit may have been applied before. */
  alreadyApplied?: boolean;
}

/**
 * One or more blocks did not match their file exactly once. No file was
 * changed. `feedback` is the message to send back to the model for its one
 * retry: each failed block with the closest lines of the file.
 */
export class EditMatchError extends SwarmError {
  readonly failures: readonly MatchFailure[];
  readonly feedback: string;

  constructor(failures: readonly MatchFailure[], feedback: string) {
    const first = failures[0];
    const summary = first
      ? `${first.block.path}: ${first.detail}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}`
      : 'no failures';
    super('edit_match', `${failures.length} edit block(s) did not apply, no file was changed: ${summary}`, {
      hint: 'Send `feedback` to the model so it can correct the SEARCH text, or fix the blocks by hand.',
    });
    this.failures = failures;
    this.feedback = feedback;
  }
}
