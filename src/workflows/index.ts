export * from './checkpoint.js';
export { type StepDefinition, type WorkflowDefinition, workflowSchema } from './definition.js';
export { WORKFLOW_BUCKET, WORKFLOW_QUEUE, WorkflowEngine } from './engine.js';
export * from './errors.js';
export { evaluate, render } from './expression.js';
export { loadWorkflowFile, validateWorkflow } from './load.js';
export { planRun } from './planner.js';
export { runtimeStepRunner } from './runtime-step-runner.js';
export type { StepRunner } from './step-runner.js';
