import type { BudgetLimits } from '../core/budget-ledger.js';
import { CascadeContext } from '../core/context.js';
import { errorMessage, GuardError, isSwarmError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { AgentResult, AgentRunner } from './runner.js';

export interface StartRunOptions {
  agent: string;
  task: string;
  events: EventBus;
  runner: AgentRunner;
  runId?: string;
  tenantId?: string;
  budget?: BudgetLimits;
  maxDepth?: number;
  /** Seconds from now. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export type RunOutcome =
  | ({ runId: string; outcome: 'succeeded' } & AgentResult)
  | { runId: string; outcome: 'failed' | 'cancelled'; error: unknown };

/**
 * A whole run: the root context, `run.started`, the root agent, and
 * `run.finished` with its outcome. Never throws for a failed run: the outcome
 * says what happened, and the events have already been recorded.
 */
export async function executeRun(options: StartRunOptions): Promise<RunOutcome> {
  const ctx = CascadeContext.createRun({
    agent: options.agent,
    task: options.task,
    events: options.events,
    ...(options.runId ? { runId: options.runId } : {}),
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    ...(options.timeoutSeconds === undefined ? {} : { deadline: Date.now() + options.timeoutSeconds * 1000 }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  ctx.emit('run.started', { task: options.task, tenantId: ctx.tenantId, budget: { ...ctx.ledger.limits } });
  try {
    const result = await options.runner.run(ctx, options.task);
    ctx.emit('run.finished', { outcome: 'succeeded', output: result.output });
    return { runId: ctx.runId, outcome: 'succeeded', ...result };
  } catch (error) {
    const outcome = error instanceof GuardError && error.guard === 'cancelled' ? 'cancelled' : 'failed';
    ctx.emit('run.finished', {
      outcome,
      error: errorMessage(error),
      ...(isSwarmError(error) ? { errorCode: error.code } : {}),
    });
    return { runId: ctx.runId, outcome, error };
  } finally {
    ctx.release();
  }
}

/** A run's outcome as plain JSON: the answer when it succeeded, else the error's message and code. */
export function outcomeJson(outcome: RunOutcome) {
  return {
    runId: outcome.runId,
    outcome: outcome.outcome,
    ...(outcome.outcome === 'succeeded'
      ? {
          output: outcome.output,
          ...(outcome.structured === undefined ? {} : { structured: outcome.structured }),
        }
      : {
          error: errorMessage(outcome.error),
          ...(isSwarmError(outcome.error) ? { code: outcome.error.code } : {}),
        }),
  };
}
