import { executeRun, type Runtime } from '../agents/index.js';
import { newId } from '../core/ids.js';
import type { RunStatus } from '../observe/index.js';
import { RunNotOwnedError, RunNotRunningError } from './errors.js';

export interface StartRunRequest {
  agent: string;
  task: string;
  budgetUsd?: number | undefined;
  budgetTokens?: number | undefined;
  maxDepth?: number | undefined;
  timeoutSeconds?: number | undefined;
}

/** A workflow run's cancellation, recorded where every worker process checks it before each step. */
export interface WorkflowCanceller {
  cancel(runId: string, reason: string): Promise<boolean>;
}

/**
 * The agent runs this server started. Each has its own AbortController, so
 * a cancel reaches every descendant's in-flight model and tool calls. A run
 * in another process can only be cancelled if it is a workflow run (its
 * state lives on the engine, which every worker honours).
 */
export class RunManager {
  private readonly owned = new Map<string, { controller: AbortController; done: Promise<unknown> }>();

  constructor(
    private readonly runtime: Runtime,
    private readonly workflows: WorkflowCanceller | undefined,
  ) {}

  get running(): number {
    return this.owned.size;
  }

  owns(runId: string): boolean {
    return this.owned.has(runId);
  }

  /** Starts the run and returns its id at once; the run goes on in the background. */
  start(request: StartRunRequest): string {
    const { config, registry } = this.runtime;
    const manifest = registry.get(request.agent);
    const runId = newId('run');
    const controller = new AbortController();
    const budget = {
      ...config.budget,
      ...manifest.limits.budget,
      ...(request.budgetUsd === undefined ? {} : { usd: request.budgetUsd }),
      ...(request.budgetTokens === undefined ? {} : { tokens: request.budgetTokens }),
    };
    const done = executeRun({
      agent: request.agent,
      task: request.task,
      runId,
      events: this.runtime.events,
      runner: this.runtime.runner,
      tenantId: config.tenant,
      budget,
      maxDepth: request.maxDepth ?? config.limits.maxDepth,
      timeoutSeconds:
        request.timeoutSeconds ?? manifest.limits.timeoutSeconds ?? config.limits.timeoutSeconds,
      signal: controller.signal,
    }).finally(() => this.owned.delete(runId));
    this.owned.set(runId, { controller, done });
    return runId;
  }

  /**
   * Cancels a run: ours through its controller, a workflow run through the
   * engine. Anything else runs in a process this server cannot reach.
   */
  async cancel(runId: string, status: RunStatus, isWorkflow: boolean, reason: string): Promise<'cancelled'> {
    const mine = this.owned.get(runId);
    if (mine) {
      mine.controller.abort(new Error(reason));
      return 'cancelled';
    }
    if (isWorkflow && this.workflows && (await this.workflows.cancel(runId, reason))) return 'cancelled';
    if (status !== 'running') throw new RunNotRunningError(runId, status);
    throw new RunNotOwnedError(runId);
  }

  /** Cancels every run of this server and waits for them to record their end. */
  async close(): Promise<void> {
    for (const { controller } of this.owned.values())
      controller.abort(new Error('the server is shutting down'));
    await Promise.allSettled([...this.owned.values()].map((r) => r.done));
  }
}
