import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { errorMessage } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import {
  type Backend,
  LeaderLease,
  WORKERS_BUCKET,
  Worker,
  type WorkerRecord,
  WorkerRegistry,
} from '../engine/index.js';
import { stepKind } from '../workflows/definition.js';
import {
  loadWorkflowFile,
  type StepDefinition,
  validateWorkflow,
  type WorkflowDefinition,
  type WorkflowEngine,
  WorkflowRunNotFoundError,
} from '../workflows/index.js';
import { dependencies } from '../workflows/load.js';
import { RunNotRunningError, WorkflowFileError } from './errors.js';
import type { WorkflowCanceller } from './run-manager.js';

const WORKFLOW_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface WorkflowFileInfo {
  name: string;
  file: string;
  description?: string | undefined;
  steps?: number;
  error?: string;
}

export interface DagStep {
  id: string;
  kind: string;
  needs: string[];
  description: string | undefined;
  /** The agent or tool it runs, or the approval message. */
  detail: string | undefined;
  status: string;
  attempts: number;
  error: string | undefined;
  reason: string | undefined;
  output: unknown;
}

/**
 * Workflows as the server offers them: the definitions in the workflows
 * directory, start, resume, approve, cancel, and the run's DAG with each
 * step's state. An in-process worker (optional) runs the steps; workers in
 * other processes on the same engine run them too.
 */
export class WorkflowService implements WorkflowCanceller {
  private worker: Worker | undefined;
  private announced: { stop(): Promise<void> } | undefined;

  constructor(
    readonly engine: WorkflowEngine,
    readonly backend: Backend,
    private readonly events: EventBus,
    private readonly dir: string,
    private readonly tenantId: string,
    private readonly budget: { tokens?: number | undefined; usd?: number | undefined },
    readonly node: string,
  ) {}

  /** Runs steps in this process too, announced on the engine like any `swarm worker`. */
  async startWorker(concurrency: number): Promise<void> {
    this.worker = new Worker({
      queue: this.engine.queue,
      handler: this.engine.handle,
      concurrency,
      claimWaitMs: 250,
    }).start();
    this.announced = new WorkerRegistry(await this.backend.kv(WORKERS_BUCKET)).announce(
      this.node,
      this.worker,
    );
  }

  /** Every live worker on the engine, this process's included, with the steps each holds. */
  async workers(): Promise<WorkerRecord[]> {
    return new WorkerRegistry(await this.backend.kv(WORKERS_BUCKET)).list();
  }

  async schedulerLeader(): Promise<string | undefined> {
    return new LeaderLease(await this.backend.kv('scheduler'), 'scheduler', this.node, 1).holderName();
  }

  list(): WorkflowFileInfo[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => WORKFLOW_EXTENSIONS.has(extname(f)))
      .sort()
      .map((f) => {
        const file = join(this.dir, f);
        const name = basename(f, extname(f));
        try {
          const workflow = loadWorkflowFile(file);
          return { name, file: f, description: workflow.description, steps: workflow.steps.length };
        } catch (error) {
          return { name, file: f, error: errorMessage(error) };
        }
      });
  }

  /** A file of the workflows directory by name (no paths: the API never reads other files). */
  private load(name: string): WorkflowDefinition {
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) {
      throw new WorkflowFileError(name, 'give the name of a file in the workflows directory, not a path');
    }
    const candidates = [name, ...[...WORKFLOW_EXTENSIONS].map((ext) => `${name}${ext}`)];
    const found = candidates.map((c) => resolve(this.dir, c)).find((f) => existsSync(f) && extname(f) !== '');
    if (!found) throw new WorkflowFileError(name, `no such file in ${this.dir}`);
    return loadWorkflowFile(found);
  }

  async start(
    source: { workflow?: string | undefined; definition?: unknown },
    input: Record<string, unknown>,
  ) {
    const workflow =
      source.definition !== undefined
        ? validateWorkflow(source.definition, 'request body definition')
        : this.load(source.workflow ?? '');
    return this.engine.start(workflow, { input, tenantId: this.tenantId, budget: this.budget });
  }

  async resume(runId: string) {
    return this.engine.advance(runId);
  }

  async approve(runId: string, stepId: string, decision: { approved: boolean; by?: string; note?: string }) {
    return this.engine.approve(runId, stepId, decision);
  }

  /** The run record and every step of the definition with its checkpoint (pending when it has none). */
  async dag(runId: string) {
    const { run, steps } = await this.engine.status(runId);
    const workflow = await this.engine.definition(runId);
    const deps = dependencies(workflow);
    const dag: DagStep[] = workflow.steps.map((step) => {
      const cp = steps.get(step.id);
      return {
        id: step.id,
        kind: stepKind(step),
        needs: [...(deps.get(step.id) ?? [])],
        description: step.description,
        detail: detailOf(step),
        status: cp?.status ?? 'pending',
        attempts: cp?.attempts ?? 0,
        error: cp?.error,
        reason: cp?.reason,
        output: cp?.output,
      };
    });
    return { runId, name: workflow.name, status: run.status, error: run.error, input: run.input, steps: dag };
  }

  /**
   * Marks the run cancelled on the engine, where every worker checks it
   * before running a step; false if there is no such workflow run here.
   */
  async cancel(runId: string, reason: string): Promise<boolean> {
    let found = true;
    let from = '';
    let won = false;
    try {
      await this.engine.state.updateRun(runId, (cur) => {
        from = cur.status;
        if (cur.status !== 'running' && cur.status !== 'waiting') return undefined;
        won = true;
        return { ...cur, status: 'cancelled', updatedAt: Date.now(), error: reason };
      });
    } catch (error) {
      if (error instanceof WorkflowRunNotFoundError) found = false;
      else throw error;
    }
    if (!found) return false;
    if (!won) throw new RunNotRunningError(runId, from);
    const run = await this.engine.state.getRun(runId);
    const base = { runId, nodeId: run.rootNodeId, agent: `workflow:${run.name}`, depth: 0, ts: Date.now() };
    this.events.emit({ ...base, type: 'agent.finished', data: { outcome: 'cancelled', error: reason } });
    this.events.emit({ ...base, type: 'run.finished', data: { outcome: 'cancelled', error: reason } });
    return true;
  }

  async stop(): Promise<void> {
    await this.worker?.stop(2_000);
    await this.announced?.stop();
  }
}

function detailOf(step: StepDefinition): string | undefined {
  if ('agent' in step) return `${step.agent}: ${step.task}`;
  if ('tool' in step) return step.tool;
  if ('approval' in step) return step.approval.message;
  if ('foreach' in step) return `for each ${step.foreach}`;
  if ('loop' in step) return `up to ${step.loop.max} times`;
  return undefined;
}
