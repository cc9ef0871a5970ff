import type { RunStatus, StepCheckpoint } from './checkpoint.js';
import { isTerminal } from './checkpoint.js';
import type { StepDefinition, WorkflowDefinition } from './definition.js';
import { evaluate, type Scope, truthy } from './expression.js';
import { dependencies } from './load.js';

export interface Plan {
  /** Steps whose dependencies are done and whose condition holds: to be queued (or to wait for approval). */
  ready: StepDefinition[];
  /** Steps that will not run, with the reason. Applying them may make more steps ready or skipped. */
  skip: { id: string; reason: string }[];
  status: RunStatus;
}

/** What templates and conditions see: the input and every finished step's status and output. */
export function scopeOf(input: Record<string, unknown>, steps: ReadonlyMap<string, StepCheckpoint>): Scope {
  const stepScope: Record<string, { status: string; output: unknown }> = {};
  for (const [id, cp] of steps) stepScope[id] = { status: cp.status, output: cp.output };
  return { input, steps: stepScope };
}

export type Decision = { kind: 'wait' } | { kind: 'ready' } | { kind: 'skip'; reason: string };

/**
 * Whether one step without a checkpoint can start, must be skipped, or waits:
 * it needs only the checkpoints of its dependencies and of the steps its
 * condition names, so a finished step re-decides just the steps after it.
 */
export function decide(
  step: StepDefinition,
  deps: Iterable<string>,
  byId: ReadonlyMap<string, StepDefinition>,
  steps: ReadonlyMap<string, StepCheckpoint>,
  scope: Scope,
): Decision {
  const mine = [...deps];
  const states = mine.map((d) => steps.get(d));
  if (states.some((s) => s === undefined || !isTerminal(s.status) || s.status === 'failed'))
    return { kind: 'wait' };
  const notTaken = mine.find((d) => {
    const branch = byId.get(d);
    if (!branch || !('branch' in branch)) return false;
    const taken = (steps.get(d)?.output as { taken?: string } | undefined)?.taken;
    const side = branch.branch.then.includes(step.id)
      ? 'then'
      : branch.branch.else.includes(step.id)
        ? 'else'
        : undefined;
    return side !== undefined && side !== taken;
  });
  if (notTaken) return { kind: 'skip', reason: `branch "${notTaken}" took the other side` };
  if (mine.length > 0 && states.every((s) => s?.status === 'skipped')) {
    return { kind: 'skip', reason: 'all of its dependencies were skipped' };
  }
  if (step.when !== undefined && !truthy(evaluate(step.when, scope))) {
    return { kind: 'skip', reason: 'its `when` condition is false' };
  }
  return { kind: 'ready' };
}

/**
 * Decides what happens next from the stored checkpoints alone: a pure
 * function, so every worker (and `swarm workflow resume` after a crash)
 * reaches the same decision from the same state.
 */
export function planRun(
  workflow: WorkflowDefinition,
  steps: ReadonlyMap<string, StepCheckpoint>,
  input: Record<string, unknown>,
): Plan {
  const deps = dependencies(workflow);
  const byId = new Map(workflow.steps.map((s) => [s.id, s]));
  const scope = scopeOf(input, steps);
  const ready: StepDefinition[] = [];
  const skip: Plan['skip'] = [];
  for (const step of workflow.steps) {
    if (steps.has(step.id)) continue;
    const decision = decide(step, deps.get(step.id) ?? [], byId, steps, scope);
    if (decision.kind === 'ready') ready.push(step);
    else if (decision.kind === 'skip') skip.push({ id: step.id, reason: decision.reason });
  }
  return { ready, skip, status: runStatus(workflow, steps, ready.length + skip.length) };
}

function runStatus(
  workflow: WorkflowDefinition,
  steps: ReadonlyMap<string, StepCheckpoint>,
  startable: number,
): RunStatus {
  const all = workflow.steps.map((s) => steps.get(s.id)?.status);
  if (all.includes('failed')) return 'failed';
  if (all.every((s) => s !== undefined && isTerminal(s))) return 'succeeded';
  const active = all.some((s) => s === 'queued' || s === 'running');
  if (!active && startable === 0 && all.includes('waiting')) return 'waiting';
  return 'running';
}

/** The run's result: the outputs of the steps nothing else depends on. */
export function runOutput(
  workflow: WorkflowDefinition,
  steps: ReadonlyMap<string, StepCheckpoint>,
): Record<string, unknown> {
  const deps = dependencies(workflow);
  const depended = new Set([...deps.values()].flatMap((d) => [...d]));
  const out: Record<string, unknown> = {};
  for (const step of workflow.steps) {
    const cp = steps.get(step.id);
    if (!depended.has(step.id) && cp?.status === 'succeeded') out[step.id] = cp.output;
  }
  return out;
}
