import type { AnyEvent, EventBus, EventData } from '../core/events.js';
import { newId } from '../core/ids.js';
import type { Backend, ClaimedTask, Json, TaskQueue } from '../engine/backend.js';
import { Worker } from '../engine/worker.js';
import {
  parseRunTrace,
  registerRunTrace,
  runTraceHeaders,
  runTraceOf,
} from '../observe/tracing/trace-context.js';
import type { RunRecord, StepCheckpoint } from './checkpoint.js';
import { type CompiledWorkflow, DefinitionCache } from './compiled.js';
import { type StepDefinition, stepKind, type WorkflowDefinition } from './definition.js';
import { StepNotWaitingError } from './errors.js';
import { validateWorkflow } from './load.js';
import { decide, planRun, runOutput, scopeOf } from './planner.js';
import { WorkflowState } from './state.js';
import { StepExecutor, type StepTask, stepTaskSchema } from './step-executor.js';
import type { StepRunner } from './step-runner.js';

export const WORKFLOW_QUEUE = 'workflow-steps';
export const WORKFLOW_BUCKET = 'workflows';

export interface EngineOptions {
  leaseMs?: number;
  events?: EventBus;
}

export interface StartOptions {
  runId?: string;
  tenantId?: string;
  budget?: { tokens?: number; usd?: number };
  input?: Record<string, unknown>;
}

type StepEventData = Omit<EventData['step.finished'], 'stepId' | 'kind'>;

/**
 * Durable workflows on any engine backend. Each step runs as a task; its
 * result is checkpointed (compare-and-set) before the steps after it are
 * enqueued, and enqueues carry de-duplication ids, so a crash anywhere is
 * repaired by advancing again from the checkpoints: nothing completed runs
 * twice, nothing pending is lost.
 */
export class WorkflowEngine {
  private readonly executor: StepExecutor;
  private readonly definitions = new DefinitionCache();

  private constructor(
    readonly queue: TaskQueue,
    readonly state: WorkflowState,
    runner: StepRunner,
    private readonly events: EventBus | undefined,
  ) {
    this.executor = new StepExecutor(state, runner, events, (runId) => this.compiled(runId));
  }

  static async open(
    backend: Backend,
    runner: StepRunner,
    options: EngineOptions = {},
  ): Promise<WorkflowEngine> {
    const leaseMs = options.leaseMs ?? 30_000;
    const queue = await backend.queue(WORKFLOW_QUEUE, { leaseMs, maxDeliveries: 25 });
    const state = new WorkflowState(await backend.kv(WORKFLOW_BUCKET), leaseMs);
    return new WorkflowEngine(queue, state, runner, options.events);
  }

  async start(definition: WorkflowDefinition, options: StartOptions = {}): Promise<string> {
    const workflow = validateWorkflow(definition);
    const runId = options.runId ?? newId('run');
    const now = Date.now();
    const record: RunRecord = {
      v: 2,
      name: workflow.name,
      input: { ...workflow.input, ...options.input },
      status: 'running',
      tenantId: options.tenantId ?? 'default',
      rootNodeId: newId('node'),
      budget: options.budget ?? {},
      spent: { tokens: 0, usd: 0 },
      createdAt: now,
      updatedAt: now,
    };
    if (await this.state.createRun(runId, record, workflow)) {
      const task = `workflow ${workflow.name}`;
      this.emit(runId, record, 'run.started', { task, tenantId: record.tenantId, budget: record.budget });
      this.emit(runId, record, 'agent.started', { task, fingerprint: workflow.name });
      // the tracer (when on) chose the run's trace ids on run.started: keep them with the run
      const trace = runTraceHeaders(runId);
      if (trace.traceparent) await this.state.updateRun(runId, (run) => ({ ...run, trace }));
    }
    await this.advance(runId);
    return runId;
  }

  /**
   * Re-derives what should happen from the checkpoints and makes it so; safe
   * to call any number of times. After a step finished (`after`), only the
   * steps that depend on it are decided; the whole run is re-planned when it
   * may have ended (a last step, a failure, a wait for approval) and on resume.
   */
  async advance(runId: string, after?: string): Promise<RunRecord> {
    const run = await this.state.getRun(runId);
    if (run.trace && !runTraceOf(runId)) {
      const carried = parseRunTrace(run.trace);
      if (carried) registerRunTrace(carried);
    }
    if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled') return run;
    const compiled = await this.compiled(runId);
    if (after === undefined) return this.replan(runId, compiled);
    const finished = await this.state.getStep(runId, after);
    let whole = finished?.status === 'failed';
    const pending = [...(compiled.dependents.get(after) ?? [])];
    if (pending.length === 0) whole = true;
    const seen = new Set<string>();
    while (pending.length > 0) {
      const id = pending.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const step = compiled.byId.get(id)!;
      const steps = await this.state.someSteps(runId, [id, ...(compiled.reads.get(id) ?? [])]);
      if (steps.has(id)) continue;
      const decision = decide(
        step,
        compiled.deps.get(id) ?? [],
        compiled.byId,
        steps,
        scopeOf(run.input, steps),
      );
      if (decision.kind === 'ready') {
        await this.queueStep(run, runId, compiled.workflow, step);
        if (stepKind(step) === 'approval') whole = true;
      } else if (decision.kind === 'skip') {
        await this.skip(run, runId, compiled.workflow, id, decision.reason);
        const next = compiled.dependents.get(id) ?? [];
        if (next.length === 0) whole = true;
        pending.push(...next);
      }
    }
    return whole ? this.replan(runId, compiled) : run;
  }

  /** Plans the whole run from all its checkpoints and settles its status. */
  private async replan(runId: string, compiled: CompiledWorkflow): Promise<RunRecord> {
    const { workflow } = compiled;
    for (;;) {
      const run = await this.state.getRun(runId);
      if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled') return run;
      const steps = await this.state.steps(runId);
      const plan = planRun(workflow, steps, run.input);
      for (const { id, reason } of plan.skip) await this.skip(run, runId, workflow, id, reason);
      for (const step of plan.ready) await this.queueStep(run, runId, workflow, step);
      for (const [id, cp] of steps) {
        if (cp.status === 'queued') await this.enqueue(runId, { runId, stepId: id });
      }
      if (plan.skip.length > 0 || plan.ready.length > 0) continue;
      if (plan.status === run.status) return run;
      return this.settle(runId, workflow, steps, plan.status);
    }
  }

  private async settle(
    runId: string,
    workflow: WorkflowDefinition,
    steps: ReadonlyMap<string, StepCheckpoint>,
    status: RunRecord['status'],
  ): Promise<RunRecord> {
    const failed = [...steps].find(([, cp]) => cp.status === 'failed');
    let won = false;
    const updated = await this.state.updateRun(runId, (cur) => {
      if (cur.status === status || cur.status === 'cancelled') return undefined;
      won = true;
      return {
        ...cur,
        status,
        updatedAt: Date.now(),
        ...(failed ? { error: `step "${failed[0]}" failed: ${failed[1].error ?? 'unknown error'}` } : {}),
      };
    });
    if (won && (status === 'succeeded' || status === 'failed')) {
      const outcome = status === 'succeeded' ? 'succeeded' : 'failed';
      this.emit(runId, updated, 'agent.finished', {
        outcome,
        ...(updated.error ? { error: updated.error } : {}),
      });
      this.emit(runId, updated, 'run.finished', {
        outcome,
        ...(outcome === 'succeeded'
          ? { output: JSON.stringify(runOutput(workflow, steps)) }
          : { error: updated.error ?? 'a step failed' }),
      });
    }
    return updated;
  }

  private async skip(
    run: RunRecord,
    runId: string,
    workflow: WorkflowDefinition,
    id: string,
    reason: string,
  ) {
    const { changed } = await this.state.transitionStep(runId, id, (cur) =>
      cur ? undefined : { v: 1, status: 'skipped', attempts: 0, reason, updatedAt: Date.now() },
    );
    if (changed) this.stepEvent(run, runId, workflow, id, { status: 'skipped', reason });
  }

  private async queueStep(run: RunRecord, runId: string, workflow: WorkflowDefinition, step: StepDefinition) {
    const status = stepKind(step) === 'approval' ? 'waiting' : 'queued';
    const { changed } = await this.state.transitionStep(runId, step.id, (cur) =>
      cur ? undefined : { v: 1, status, attempts: 0, updatedAt: Date.now() },
    );
    if (!changed) return;
    if (status === 'waiting') this.stepEvent(run, runId, workflow, step.id, { status: 'waiting' });
    else await this.enqueue(runId, { runId, stepId: step.id });
  }

  async enqueue(runId: string, task: StepTask): Promise<void> {
    const suffix =
      task.item !== undefined ? `.i${task.item}` : task.iteration !== undefined ? `.n${task.iteration}` : '';
    await this.queue.enqueue({
      id: `${runId}.${task.stepId}${suffix}`,
      payload: task as unknown as Json,
      headers: runTraceHeaders(runId),
    });
  }

  /** The worker's handler: runs one step task and, if the step finished, advances the run. */
  handle = async (task: ClaimedTask, signal: AbortSignal): Promise<void> => {
    const payload = stepTaskSchema.parse(task.payload);
    const finished = await this.executor.execute(payload, task.deliveries, signal, (t) =>
      this.enqueue(payload.runId, t),
    );
    if (finished) await this.advance(payload.runId, payload.stepId);
  };

  /** Approves (or rejects) a step waiting for a person. */
  async approve(runId: string, stepId: string, decision: { approved: boolean; by?: string; note?: string }) {
    const run = await this.state.getRun(runId);
    const current = await this.state.getStep(runId, stepId);
    if (current?.status !== 'waiting')
      throw new StepNotWaitingError(runId, stepId, current?.status ?? 'not started');
    const outcome = decision.approved
      ? {
          status: 'succeeded' as const,
          output: { approved: true, by: decision.by ?? null, note: decision.note ?? null },
        }
      : {
          status: 'failed' as const,
          error: `rejected${decision.by ? ` by ${decision.by}` : ''}${decision.note ? `: ${decision.note}` : ''}`,
        };
    const { changed } = await this.state.transitionStep(runId, stepId, (cur) =>
      cur?.status !== 'waiting' ? undefined : { ...cur, ...outcome, updatedAt: Date.now() },
    );
    if (changed) {
      const { workflow } = await this.compiled(runId);
      this.stepEvent(run, runId, workflow, stepId, {
        status: outcome.status,
        ...(decision.approved ? {} : { error: 'rejected' }),
        ...(decision.by ? { by: decision.by } : {}),
        ...(decision.note ? { note: decision.note } : {}),
      });
    }
    return this.advance(runId);
  }

  async status(runId: string): Promise<{ run: RunRecord; steps: Map<string, StepCheckpoint> }> {
    return { run: await this.state.getRun(runId), steps: await this.state.steps(runId) };
  }

  /** The run's definition, steps in order. */
  async definition(runId: string): Promise<WorkflowDefinition> {
    return (await this.compiled(runId)).workflow;
  }

  /** Resolves when the run is no longer running: succeeded, failed, cancelled, or waiting for approval. */
  async settled(runId: string, signal?: AbortSignal): Promise<RunRecord> {
    for (;;) {
      const run = await this.state.getRun(runId);
      if (run.status !== 'running' || signal?.aborted) return run;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  worker(concurrency = 4): Worker {
    return new Worker({ queue: this.queue, handler: this.handle, concurrency, claimWaitMs: 250 });
  }

  private compiled(runId: string): Promise<CompiledWorkflow> {
    return this.definitions.get(runId, () => this.state.getWorkflow(runId));
  }

  private stepEvent(
    run: RunRecord,
    runId: string,
    workflow: WorkflowDefinition,
    stepId: string,
    data: StepEventData,
  ) {
    const step = workflow.steps.find((s) => s.id === stepId);
    this.emit(runId, run, 'step.finished', { stepId, kind: step ? stepKind(step) : 'unknown', ...data });
  }

  private emit<
    T extends 'run.started' | 'run.finished' | 'agent.started' | 'agent.finished' | 'step.finished',
  >(runId: string, run: RunRecord, type: T, data: EventData[T]): void {
    this.events?.emit({
      type,
      runId,
      nodeId: run.rootNodeId,
      agent: `workflow:${run.name}`,
      depth: 0,
      ts: Date.now(),
      data,
    } as AnyEvent);
  }
}
