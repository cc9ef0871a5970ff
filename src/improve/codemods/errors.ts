import { SwarmError } from '../../core/errors.js';

/**
 * The skill cannot carry out this candidate, for a reason that does not
 * change on a retry: a syntax error in the file, top-level code whose order
 * matters, no split that brings every part under the threshold, an import
 * used where a dynamic import cannot reach. `reason` is what the run report
 * shows for the dropped candidate.
 */
export class SkillNotApplicableError extends SwarmError {
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
