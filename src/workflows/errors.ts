import { type FileProblem, InvalidFileError, SwarmError } from '../core/errors.js';

export class WorkflowDefinitionError extends InvalidFileError {
  constructor(file: string, problems: readonly FileProblem[]) {
    super('invalid_workflow', file, problems, 'Fix the steps listed above; nothing has run.');
  }
}

export class WorkflowRunNotFoundError extends SwarmError {
  constructor(runId: string) {
    super('workflow_run_not_found', `no workflow run "${runId}" on this engine`, {
      hint: 'Check the run id (`swarm runs list`) and that --engine points at the engine that ran it.',
    });
  }
}

export class StepNotWaitingError extends SwarmError {
  constructor(runId: string, stepId: string, status: string) {
    super('step_not_waiting', `step "${stepId}" of run ${runId} is ${status}, not waiting for approval`, {
      hint: '`swarm runs show <run>` lists the steps and their states.',
    });
  }
}

export class ExpressionError extends SwarmError {
  constructor(message: string) {
    super('invalid_expression', message, {
      hint: 'Conditions are JSON-logic: {"==": [{"var": "steps.review.output.verdict"}, "approve"]}.',
    });
  }
}

/** Another delivery of the same step is running this side effect right now; retried later. */
export class EffectInProgressError extends SwarmError {
  readonly retryable = true;
  constructor(key: string) {
    super('effect_in_progress', `the side effect ${key} is being run by another delivery of the same step`, {
      hint: 'Nothing to do: the step is retried after the other delivery records its result.',
    });
  }
}
