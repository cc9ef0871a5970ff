import { SwarmError } from '../../core/errors.js';
import type { MatchFailure } from '../edits/index.js';

/** Base of the failures a skill reports; the worktree is left as the skill found it. */
export class SkillError extends SwarmError {}

/**
 * The skill cannot carry out this candidate, for a reason that does not
 * change on a retry: a syntax error in the file, top-level code whose order
 * matters, no split that brings every part under the threshold, an import
 * used where a dynamic import cannot reach. `reason` is what the run report
 * shows for the dropped candidate.
 */
export class SkillNotApplicableError extends SkillError {
  readonly skill: string;
  readonly path: string;
  readonly reason: string;

  constructor(skill: string, path: string, reason: string, hint?: string) {
    super('skill_not_applicable', `${skill} cannot change ${path}: ${reason}`, {
      hint: hint ?? 'The candidate is skipped; a model-driven edit (--model) may still handle it.',
    });
    this.skill = skill;
    this.path = path;
    this.reason = reason;
  }
}

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
