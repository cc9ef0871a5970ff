import type { StepDefinition, WorkflowDefinition } from './definition.js';
import { dependencies, referencedSteps } from './load.js';

/** A workflow with the maps every decision needs, built once per run and process. */
export interface CompiledWorkflow {
  workflow: WorkflowDefinition;
  byId: ReadonlyMap<string, StepDefinition>;
  deps: ReadonlyMap<string, ReadonlySet<string>>;
  dependents: ReadonlyMap<string, readonly string[]>;
  /** The checkpoints a step's decision and templates read: its dependencies and the steps it names. */
  reads: ReadonlyMap<string, readonly string[]>;
}

export function compile(workflow: WorkflowDefinition): CompiledWorkflow {
  const deps = dependencies(workflow);
  const dependents = new Map<string, string[]>(workflow.steps.map((s) => [s.id, []]));
  for (const [id, ds] of deps) for (const d of ds) dependents.get(d)?.push(id);
  const reads = new Map<string, string[]>();
  for (const step of workflow.steps) {
    reads.set(step.id, [...new Set([...(deps.get(step.id) ?? []), ...referencedSteps(step)])]);
  }
  return { workflow, byId: new Map(workflow.steps.map((s) => [s.id, s])), deps, dependents, reads };
}

const LIMIT = 256;

/**
 * Compiled definitions by run id. A definition never changes after its run
 * starts, so each process validates and compiles it once instead of on every
 * step (which cost milliseconds per step on a 1,000-step workflow).
 */
export class DefinitionCache {
  private readonly entries = new Map<string, CompiledWorkflow>();

  async get(runId: string, load: () => Promise<WorkflowDefinition>): Promise<CompiledWorkflow> {
    const hit = this.entries.get(runId);
    if (hit) return hit;
    const compiled = compile(await load());
    if (this.entries.size >= LIMIT) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(runId, compiled);
    return compiled;
  }
}
