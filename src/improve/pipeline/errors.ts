import { SwarmError } from '../../core/errors.js';

/** A step of the improve workflow failed for a reason other than a candidate's gates (a bug, a broken repository, a full disk). */
export class ImproveStepFailedError extends SwarmError {
  constructor(
    readonly runId: string,
    readonly error: string,
  ) {
    super('improve_step_failed', `swarm improve run ${runId} stopped: ${error}`, {
      hint: 'Nothing in your working tree or branches changed. Fix the cause and run again; the next run reclaims what this one left.',
    });
  }
}

/** The run was cancelled (Ctrl-C): the target branch is untouched and the next run reclaims the worktrees. */
export class ImproveCancelledError extends SwarmError {
  constructor(readonly runId: string) {
    super('improve_cancelled', `swarm improve run ${runId} was cancelled`, {
      hint: 'Nothing in your working tree or branches changed; the next run removes what this one left.',
    });
  }
}
