import type { AnyEvent, EventBus } from '../core/events.js';
import { PrometheusRegistry } from './prometheus-registry.js';

/** The content type of Prometheus text format 0.0.4, for the `/metrics` response. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** What a queue reports about its depth (the engine's `TaskQueue` has this shape). */
export interface QueueDepthSource {
  readonly name: string;
  stats(): Promise<{ ready: number; leased: number; deadLetters: number }>;
}

export interface SwarmMetricsOptions {
  /** The engine queues whose depth is read at every scrape. */
  queues?: () => Iterable<QueueDepthSource>;
  /** Runs recorded in the run store, by status (all processes that share it), read at every scrape. */
  runCounts?: () => Record<string, number>;
}

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const QUEUE_STATES = ['ready', 'leased', 'dead'] as const;

/**
 * Swarm's Prometheus metrics, counted from the event bus of this process:
 * runs by outcome, workflow and agent steps, model calls with tokens in and
 * out and cost, tool calls, delegations, guard trips and errors by class;
 * plus gauges read at scrape time: active runs, runs in the store by status,
 * and engine queue depth.
 *
 * To serve it (what `swarm serve` mounts at GET /metrics):
 *
 * ```ts
 * const metrics = new SwarmMetrics({ queues: () => [engine.queue], runCounts: () => store.countRunsByStatus() });
 * metrics.attach(runtime.events);
 * app.get('/metrics', async (c) =>
 *   c.body(await metrics.render(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }));
 * ```
 */
export class SwarmMetrics {
  readonly registry = new PrometheusRegistry();
  private readonly queueDepth = new Map<string, { ready: number; leased: number; dead: number }>();
  private readonly activeRuns = new Set<string>();
  private readonly runsStarted;
  private readonly runsFinished;
  private readonly workflowSteps;
  private readonly agentSteps;
  private readonly modelCalls;
  private readonly modelDuration;
  private readonly tokens;
  private readonly cost;
  private readonly cacheHits;
  private readonly toolCalls;
  private readonly delegations;
  private readonly guardTrips;
  private readonly errors;

  constructor(private readonly options: SwarmMetricsOptions = {}) {
    const r = this.registry;
    this.runsStarted = r.counter('swarm_runs_started_total', 'Runs started in this process.', []);
    this.runsFinished = r.counter('swarm_runs_finished_total', 'Runs finished, by outcome.', ['outcome']);
    r.gauge('swarm_runs_active', 'Runs started and not yet finished in this process.', [], () => [
      [[], this.activeRuns.size],
    ]);
    if (options.runCounts) {
      const read = options.runCounts;
      r.gauge('swarm_runs', 'Runs in the run store, by status.', ['status'], () =>
        Object.entries(read()).map(([status, n]) => [[status], n]),
      );
    }
    this.workflowSteps = r.counter(
      'swarm_workflow_steps_total',
      'Workflow steps settled, by kind and status.',
      ['kind', 'status'],
    );
    this.agentSteps = r.counter('swarm_agent_steps_total', 'Agent tool-loop steps, by agent.', ['agent']);
    this.modelCalls = r.counter('swarm_model_calls_total', 'Model call attempts, by model and outcome.', [
      'model',
      'outcome',
    ]);
    this.modelDuration = r.histogram(
      'swarm_model_call_duration_seconds',
      'Model call latency, by model.',
      ['model'],
      DURATION_BUCKETS,
    );
    this.tokens = r.counter('swarm_tokens_total', 'Tokens, by model and direction (input, output, cached).', [
      'model',
      'direction',
    ]);
    this.cost = r.counter('swarm_cost_usd_total', 'Spend in US dollars, by model.', ['model']);
    this.cacheHits = r.counter(
      'swarm_model_cache_hits_total',
      'Model calls answered without an upstream call, by model and source (exact, near, coalesced).',
      ['model', 'source'],
    );
    this.toolCalls = r.counter('swarm_tool_calls_total', 'Tool calls, by tool and outcome.', [
      'tool',
      'outcome',
    ]);
    this.delegations = r.counter('swarm_delegations_total', 'Delegations, by target agent.', ['agent']);
    this.guardTrips = r.counter('swarm_guard_trips_total', 'Guard refusals, by guard.', ['guard']);
    this.errors = r.counter('swarm_errors_total', 'Errors, by class.', ['class']);
    r.gauge(
      'swarm_queue_tasks',
      'Engine queue depth, by queue and state (ready, leased, dead).',
      ['queue', 'state'],
      () =>
        [...this.queueDepth].flatMap(([queue, d]) =>
          QUEUE_STATES.map((s) => [[queue, s], d[s]] as [string[], number]),
        ),
    );
  }

  attach(bus: EventBus): () => void {
    return bus.subscribe((event) => this.observe(event));
  }

  observe(event: AnyEvent): void {
    switch (event.type) {
      case 'run.started':
        this.runsStarted.inc([]);
        this.activeRuns.add(event.runId);
        break;
      case 'run.finished':
        this.runsFinished.inc([event.data.outcome]);
        this.activeRuns.delete(event.runId);
        if (event.data.outcome === 'failed') this.errors.inc([event.data.errorCode ?? 'run_failed']);
        break;
      case 'step.finished':
        if (event.data.status !== 'waiting') this.workflowSteps.inc([event.data.kind, event.data.status]);
        if (event.data.status === 'failed') this.errors.inc(['step_failed']);
        break;
      case 'agent.step':
        this.agentSteps.inc([event.agent]);
        break;
      case 'model.call': {
        const { model, ok } = event.data;
        this.modelCalls.inc([model, ok ? 'ok' : 'error']);
        this.modelDuration.observe([model], event.data.latencyMs / 1000);
        this.tokens.inc([model, 'input'], event.data.inputTokens);
        this.tokens.inc([model, 'output'], event.data.outputTokens);
        if (event.data.cachedTokens > 0) this.tokens.inc([model, 'cached'], event.data.cachedTokens);
        this.cost.inc([model], event.data.costUsd);
        if (!ok) this.errors.inc(['model_call']);
        break;
      }
      case 'tool.call':
        this.toolCalls.inc([event.data.tool, event.data.ok ? 'ok' : 'error']);
        if (!event.data.ok) this.errors.inc(['tool_call']);
        break;
      case 'delegation':
        this.delegations.inc([event.data.to]);
        break;
      case 'guard.tripped':
        this.guardTrips.inc([event.data.guard]);
        this.errors.inc([`guard_${event.data.guard}`]);
        break;
      case 'error':
        this.errors.inc([event.data.code ?? 'error']);
        break;
      default:
        // read by name: the model layer's cache event
        if ((event.type as string) === 'model.cached') {
          const { model, source } = event.data as unknown as { model: string; source: string };
          this.cacheHits.inc([model, source]);
        }
    }
  }

  /** The Prometheus text of every metric, after reading the queues' depth (a failing queue keeps its last reading). */
  async render(): Promise<string> {
    const queues = [...(this.options.queues?.() ?? [])];
    await Promise.all(
      queues.map(async (q) => {
        try {
          const s = await q.stats();
          this.queueDepth.set(q.name, { ready: s.ready, leased: s.leased, dead: s.deadLetters });
        } catch {
          this.errors.inc(['queue_stats']);
        }
      }),
    );
    return this.registry.render();
  }
}
