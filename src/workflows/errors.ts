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
