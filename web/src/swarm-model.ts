import type { ApiEvent, NodeRow, RunRow, RunStatus } from './types';

export interface LiveNode {
  id: string;
  parentId: string | null;
  agent: string;
  task: string;
  depth: number;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  modelCalls: number;
  toolCalls: number;
  guard: string | null;
  error: string | null;
  children: string[];
}

export interface LiveRun {
  id: string;
  agent: string;
  task: string;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  nodes: Map<string, LiveNode>;
  roots: string[];
  /** Workflow step states by step id, from step events. */
  steps: Map<string, string>;
  /** Bumped on every change: cards re-render only when theirs moved. */
  version: number;
}

/**
 * The swarm as the dashboard sees it, built from a snapshot and then from
 * events alone. Mutable on purpose: events are applied in batches once per
 * animation frame, and each run's `version` tells React which cards to redraw.
 */
export class SwarmModel {
  readonly runs = new Map<string, LiveRun>();
  seq = 0;

  load(runs: readonly { run: RunRow; nodes: readonly NodeRow[] }[], seq: number): void {
    this.runs.clear();
    for (const { run, nodes } of runs) {
      const live = this.ensureRun(run.id, run.agent, run.task, run.startedAt);
      Object.assign(live, {
        status: run.status,
        finishedAt: run.finishedAt,
        error: run.error,
        inputTokens: run.inputTokens,
        outputTokens: run.outputTokens,
        costUsd: run.costUsd,
      });
      for (const n of nodes) {
        this.addNode(live, { ...n, children: [] });
      }
    }
    this.seq = seq;
  }

  apply(e: ApiEvent): void {
    if (e.seq <= this.seq) return;
    this.seq = e.seq;
    const run = this.ensureRun(e.runId, e.agent ?? '?', e.type === 'run.started' ? e.data.task : '', e.ts);
    run.version++;
    const node = run.nodes.get(e.nodeId);
    switch (e.type) {
      case 'run.started':
        run.task = e.data.task;
        run.startedAt = e.ts;
        if (e.agent) run.agent = e.agent;
        break;
      case 'run.finished':
        run.status = e.data.outcome;
        run.finishedAt = e.ts;
        run.error = e.data.error ?? null;
        break;
      case 'agent.started':
        if (!node) {
          this.addNode(run, {
            id: e.nodeId,
            parentId: e.data.parentNodeId ?? null,
            agent: e.agent ?? '?',
            task: e.data.task,
            depth: e.depth ?? 0,
            status: 'running',
            startedAt: e.ts,
            finishedAt: null,
            inputTokens: 0,
            outputTokens: 0,
            costUsd: 0,
            modelCalls: 0,
            toolCalls: 0,
            guard: null,
            error: null,
            children: [],
          });
        }
        break;
      case 'agent.finished':
        if (node) {
          node.status = e.data.outcome;
          node.finishedAt = e.ts;
          node.error = e.data.error ?? null;
          if (e.data.guard) node.guard = e.data.guard;
        }
        break;
      case 'guard.tripped':
        if (node) node.guard = e.data.guard;
        break;
      case 'model.call':
        run.inputTokens += e.data.inputTokens;
        run.outputTokens += e.data.outputTokens;
        run.costUsd += e.data.costUsd;
        if (node) {
          node.modelCalls++;
          node.inputTokens += e.data.inputTokens;
          node.outputTokens += e.data.outputTokens;
          node.costUsd += e.data.costUsd;
        }
        break;
      case 'tool.call':
        if (node) node.toolCalls++;
        break;
      case 'step.started':
        if (e.data.item === undefined && e.data.iteration === undefined)
          run.steps.set(e.data.stepId, 'running');
        break;
      case 'step.finished':
        run.steps.set(e.data.stepId, e.data.status);
        break;
    }
  }

  /** Keeps running runs and the newest finished ones, so a long session does not grow without end. */
  prune(keepFinished: number): void {
    const finished = [...this.runs.values()]
      .filter((r) => r.status !== 'running')
      .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
    for (const run of finished.slice(keepFinished)) this.runs.delete(run.id);
  }

  private ensureRun(id: string, agent: string, task: string, ts: number): LiveRun {
    let run = this.runs.get(id);
    if (!run) {
      run = {
        id,
        agent,
        task,
        status: 'running',
        startedAt: ts,
        finishedAt: null,
        error: null,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        nodes: new Map(),
        roots: [],
        steps: new Map(),
        version: 0,
      };
      this.runs.set(id, run);
    }
    return run;
  }

  private addNode(run: LiveRun, node: LiveNode): void {
    run.nodes.set(node.id, node);
    const parent = node.parentId ? run.nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node.id);
    else run.roots.push(node.id);
    // a child that arrived before its parent (snapshot order) is re-attached
    for (const other of run.nodes.values()) {
      if (other.parentId === node.id && !node.children.includes(other.id)) {
        node.children.push(other.id);
        run.roots = run.roots.filter((r) => r !== other.id);
      }
    }
  }
}
