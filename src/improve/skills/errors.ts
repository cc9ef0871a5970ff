import { SwarmError } from '../../core/errors.js';
import type { MatchFailure } from '../edits/index.js';

export { SkillNotApplicableError } from '../codemods/errors.js';

/** Base of the failures a skill reports; the worktree is left as the skill found it. */
export class SkillError extends SwarmError {}

/** A skill that needs a model was asked to run with none configured. */
export class ModelRequiredError extends SkillError {
  readonly candidateId: string;

  constructor(candidateId: string) {
    super('model_required', `candidate ${candidateId} needs a language model, and none is configured`, {
      hint: 'Pass --model provider:model (or set a default model in swarm.config.yaml), or run with --skills split-file,lazy-load to use only the codemods.',
    });
    this.candidateId = candidateId;
  }
}

/**
 * The model's edit could not be applied, after its one retry. Nothing was
 * written. `failures` and `feedback` carry the "did you mean" context of the
 * last attempt (closest lines of each file), `reply` the model's last answer.
 */
export class EditRejectedError extends SkillError {
  readonly candidateId: string;
  readonly reason: string;
  readonly failures: readonly MatchFailure[];
  readonly feedback: string;
  readonly reply: string;

  constructor(
    candidateId: string,
    reason: string,
    details: { failures?: readonly MatchFailure[]; feedback?: string; reply: string; cause?: unknown },
  ) {
    super('edit_rejected', `the model's edit for ${candidateId} was rejected: ${reason}`, {
      hint: 'The candidate is rolled back; the run report keeps the reply and the closest lines for each failed block.',
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.candidateId = candidateId;
    this.reason = reason;
    this.failures = details.failures ?? [];
    this.feedback = details.feedback ?? '';
    this.reply = details.reply;
  }
}
