import { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import type { AnyEvent, EventBus, EventData } from '../core/events.js';
import { PermanentTaskError } from '../engine/worker.js';
import { markStepFailed, traceStep } from '../observe/tracing/step-span.js';
import { isTerminal, type RunRecord, type StepCheckpoint } from './checkpoint.js';
import type { CompiledWorkflow } from './compiled.js';
import { type Action, type StepDefinition, stepKind, type WorkflowDefinition } from './definition.js';
import { EffectInProgressError } from './errors.js';
import { evaluate, lookup, render, renderDeep, type Scope, truthy } from './expression.js';
import { scopeOf } from './planner.js';
import type { WorkflowState } from './state.js';
import type { StepRunner } from './step-runner.js';

export const stepTaskSchema = z.object({
  runId: z.string().min(1),
  stepId: z.string().min(1),
  /** foreach: which item. */
  item: z.number().int().nonnegative().optional(),
  /** loop: which iteration. */
  iteration: z.number().int().nonnegative().optional(),
});
export type StepTask = z.infer<typeof stepTaskSchema>;

type Enqueue = (task: StepTask) => Promise<void>;

/**
 * Runs one step task. Every outcome is a compare-and-set on the step's
 * checkpoint, so a redelivered task for a step that already finished does
 * nothing, and retries are the queue's redeliveries: a failure with attempts
 * left is thrown (the worker naks with back-off), the last one is recorded.
 */
export class StepExecutor {
  constructor(
    private readonly state: WorkflowState,
    private readonly runner: StepRunner,
    private readonly events: EventBus | undefined,
    private readonly compiled: (runId: string) => Promise<CompiledWorkflow>,
  ) {}

  /** Runs the task; true when the step reached a final state (so the run should advance). */
  async execute(task: StepTask, deliveries: number, signal: AbortSignal, enqueue: Enqueue): Promise<boolean> {
    const outcome = { finished: false };
    const attributes = {
      'swarm.run_id': task.runId,
      'swarm.workflow.step': task.stepId,
      'swarm.workflow.attempt': deliveries,
      ...(task.item === undefined ? {} : { 'swarm.workflow.item': task.item }),
      ...(task.iteration === undefined ? {} : { 'swarm.workflow.iteration': task.iteration }),
    };
    await traceStep(`swarm.workflow.step ${task.stepId}`, attributes, () =>
      this.run(task, deliveries, signal, enqueue, outcome),
    );
    return outcome.finished;
  }

  private async run(
    task: StepTask,
    deliveries: number,
    signal: AbortSignal,
    enqueue: Enqueue,
    outcome: { finished: boolean },
  ): Promise<void> {
    const run = await this.state.getRun(task.runId);
    if (run.status !== 'running' && run.status !== 'waiting') return;
    const compiled = await this.compiled(task.runId);
    const { workflow } = compiled;
    const step = compiled.byId.get(task.stepId);
    if (!step) throw new PermanentTaskError(`run ${task.runId} has no step "${task.stepId}"`);
    const checkpoint = await this.state.getStep(task.runId, step.id);
    if (!checkpoint || isTerminal(checkpoint.status)) return;
    const attempts = step.retries + 1;
    const ctx: Ctx = { run, workflow, step, task, deliveries, signal, enqueue, outcome };
    if (deliveries > attempts) {
      await this.finish(ctx, 'failed', {
        error: `gave up after ${deliveries - 1} deliveries (a worker died or its lease expired)`,
      });
      return;
    }
    const scope = scopeOf(
      run.input,
      await this.state.someSteps(task.runId, compiled.reads.get(step.id) ?? []),
    );
    try {
      if (task.item !== undefined) return await this.foreachItem(ctx, scope, task.item);
      if (task.iteration !== undefined)
        return await this.loopIteration(ctx, scope, task.iteration, checkpoint);
      await this.begin(ctx);
      switch (stepKind(step)) {
        case 'agent':
        case 'tool': {
          const output = await this.act(ctx, step as Action, scope);
          await this.finish(ctx, 'succeeded', { output });
          return;
        }
        case 'branch': {
          const taken = truthy(evaluate((step as { branch: { if: unknown } }).branch.if, scope))
            ? 'then'
            : 'else';
          await this.finish(ctx, 'succeeded', { output: { taken } });
          return;
        }
        case 'foreach': {
          const path = (step as { foreach: string }).foreach;
          const list = lookup(scope, path);
          if (!Array.isArray(list))
            throw new PermanentTaskError(`foreach: "${path}" is not a list (it is ${typeof list})`);
          if (list.length === 0) return await this.finish(ctx, 'succeeded', { output: [] });
          await this.state.transitionStep(ctx.task.runId, step.id, (cur) =>
            cur && !isTerminal(cur.status) ? { ...cur, total: list.length } : undefined,
          );
          for (let i = 0; i < list.length; i++)
            await enqueue({ runId: task.runId, stepId: step.id, item: i });
          return;
        }
        case 'loop':
          await enqueue({ runId: task.runId, stepId: step.id, iteration: 0 });
          return;
        case 'approval':
          return;
      }
    } catch (error) {
      if (signal.aborted || error instanceof EffectInProgressError) throw error;
      if (deliveries < attempts && !(error instanceof PermanentTaskError)) throw error;
      await this.finish(ctx, 'failed', { error: errorMessage(error) });
    }
  }

  private async foreachItem(ctx: Ctx, scope: Scope, index: number): Promise<void> {
    const step = ctx.step as Extract<StepDefinition, { foreach: string }>;
    const { runId } = ctx.task;
    if (!(await this.state.hasItem(runId, step.id, index))) {
      const list = lookup(scope, step.foreach) as unknown[];
      this.emit(ctx.run, runId, 'step.started', {
        stepId: step.id,
        kind: 'foreach',
        attempt: ctx.deliveries,
        item: index,
      });
      const output = await this.act(ctx, step.do, { ...scope, item: list[index], index });
      await this.state.putItem(runId, step.id, index, output);
    }
    // the set of finished items lives on the step's checkpoint, so the join reads all items once, at the end
    const { checkpoint } = await this.state.transitionStep(runId, step.id, (cur) =>
      cur && !isTerminal(cur.status) && !(cur.doneItems ?? []).includes(index)
        ? { ...cur, doneItems: [...(cur.doneItems ?? []), index], updatedAt: Date.now() }
        : undefined,
    );
    if (checkpoint?.total === undefined || (checkpoint.doneItems?.length ?? 0) < checkpoint.total) return;
    const done = await this.state.items(runId, step.id);
    const output = Array.from({ length: checkpoint.total }, (_, i) => done.get(i)?.output ?? null);
    await this.finish(ctx, 'succeeded', { output });
  }

  private async loopIteration(
    ctx: Ctx,
    scope: Scope,
    iteration: number,
    checkpoint: StepCheckpoint,
  ): Promise<void> {
    const step = ctx.step as Extract<StepDefinition, { loop: unknown }>;
    if ((checkpoint.total ?? 0) > iteration) return;
    this.emit(ctx.run, ctx.task.runId, 'step.started', {
      stepId: step.id,
      kind: 'loop',
      attempt: ctx.deliveries,
      iteration,
    });
    const output = await this.act(ctx, step.loop.do, {
      ...scope,
      iteration,
      last: checkpoint.output ?? null,
    });
    const stop =
      iteration + 1 >= step.loop.max ||
      truthy(evaluate(step.loop.until, { ...scope, iteration, last: output }));
    const { changed } = await this.state.transitionStep(ctx.task.runId, step.id, (cur) =>
      cur && (cur.total ?? 0) === iteration && !isTerminal(cur.status)
        ? { ...cur, total: iteration + 1, output, updatedAt: Date.now() }
        : undefined,
    );
    if (!changed) return;
    if (stop) await this.finish(ctx, 'succeeded', { output });
    else await ctx.enqueue({ runId: ctx.task.runId, stepId: step.id, iteration: iteration + 1 });
  }

  private async act(ctx: Ctx, action: Action, scope: Scope): Promise<unknown> {
    const signal = ctx.step.timeoutSeconds
      ? AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.step.timeoutSeconds * 1000)])
      : ctx.signal;
    if ('tool' in action) {
      const base = ctx.step.idempotencyKey
        ? render(ctx.step.idempotencyKey, scope)
        : [ctx.step.id, ctx.task.item, ctx.task.iteration].filter((p) => p !== undefined).join('.');
      const effects = {
        once: <T>(key: string, effect: () => Promise<T>) =>
          this.state.once(ctx.task.runId, `${base}.${key}`, effect),
      };
      const args = renderDeep(action.args, scope) as Record<string, unknown>;
      return this.runner.tool({ runId: ctx.task.runId, tool: action.tool, args, effects }, signal);
    }
    const run = await this.state.getRun(ctx.task.runId);
    const budget = {
      ...(run.budget.tokens === undefined ? {} : { tokens: run.budget.tokens - run.spent.tokens }),
      ...(run.budget.usd === undefined ? {} : { usd: run.budget.usd - run.spent.usd }),
    };
    if (
      (budget.tokens !== undefined && budget.tokens <= 0) ||
      (budget.usd !== undefined && budget.usd <= 0)
    ) {
      const message = `the run's budget is spent (${JSON.stringify(run.spent)} of ${JSON.stringify(run.budget)})`;
      // a refusal like the context's own budget guard: metrics, traces and the audit log see it
      this.emit(run, ctx.task.runId, 'guard.tripped', {
        guard: 'budget',
        message: `step "${ctx.step.id}": ${message}`,
      });
      throw new PermanentTaskError(message);
    }
    const spent = { tokens: 0, usd: 0 };
    try {
      const result = await this.runner.agent(
        {
          runId: ctx.task.runId,
          rootNodeId: run.rootNodeId,
          tenantId: run.tenantId,
          workflow: ctx.workflow.name,
          agent: action.agent,
          task: render(action.task, scope),
          budget,
          spent,
        },
        signal,
      );
      return result.output;
    } finally {
      if (spent.tokens > 0 || spent.usd > 0) {
        await this.state.updateRun(ctx.task.runId, (cur) => ({
          ...cur,
          spent: { tokens: cur.spent.tokens + spent.tokens, usd: cur.spent.usd + spent.usd },
          updatedAt: Date.now(),
        }));
      }
    }
  }

  private async begin(ctx: Ctx): Promise<void> {
    await this.state.transitionStep(ctx.task.runId, ctx.step.id, (cur) =>
      cur && !isTerminal(cur.status)
        ? { ...cur, status: 'running', attempts: ctx.deliveries, updatedAt: Date.now() }
        : undefined,
    );
    this.emit(ctx.run, ctx.task.runId, 'step.started', {
      stepId: ctx.step.id,
      kind: stepKind(ctx.step),
      attempt: ctx.deliveries,
    });
  }

  private async finish(
    ctx: Ctx,
    status: 'succeeded' | 'failed',
    result: { output?: unknown; error?: string },
  ): Promise<void> {
    const { changed } = await this.state.transitionStep(ctx.task.runId, ctx.step.id, (cur) =>
      cur && !isTerminal(cur.status)
        ? {
            v: 1,
            status,
            attempts: Math.max(cur.attempts, ctx.deliveries),
            ...(cur.total === undefined ? {} : { total: cur.total }),
            ...(result.output === undefined ? {} : { output: result.output }),
            ...(result.error === undefined ? {} : { error: result.error }),
            updatedAt: Date.now(),
          }
        : undefined,
    );
    if (status === 'failed') markStepFailed(result.error ?? 'failed');
    if (changed) {
      ctx.outcome.finished = true;
      this.emit(ctx.run, ctx.task.runId, 'step.finished', {
        stepId: ctx.step.id,
        kind: stepKind(ctx.step),
        status,
        ...(result.error === undefined ? {} : { error: result.error }),
      });
    }
  }

  private emit<T extends 'step.started' | 'step.finished' | 'guard.tripped'>(
    run: RunRecord,
    runId: string,
    type: T,
    data: EventData[T],
  ): void {
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

interface Ctx {
  run: RunRecord;
  workflow: WorkflowDefinition;
  step: StepDefinition;
  task: StepTask;
  deliveries: number;
  signal: AbortSignal;
  enqueue: Enqueue;
  outcome: { finished: boolean };
}
