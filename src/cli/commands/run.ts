import pc from 'picocolors';
import { executeRun, outcomeJson } from '../../agents/run.js';
import { loadConfig, type SwarmConfig } from '../../core/config.js';
import type { Observability } from '../../observe/observability.js';
import { formatError } from '../action.js';
import { formatDuration, formatTokens, formatUsd, printJson } from '../format.js';
import { StatusLine } from '../status-line.js';
import { closeCommandRuntime, openCommandRuntime } from './command-runtime.js';
import { observeRuntime } from './observability.js';

export interface RunCommandOptions {
  agent: string;
  task: string;
  config?: string;
  model?: string;
  budgetUsd?: number;
  budgetTokens?: number;
  maxDepth?: number;
  timeout?: number;
  store?: string;
  agents?: string;
  json?: boolean;
}

export async function runCommand(opts: RunCommandOptions): Promise<number> {
  return runWithConfig(loadConfig({ cwd: process.cwd(), file: opts.config }), opts);
}

/** Runs an agent with live progress, Ctrl-C cancellation and a summary; returns the exit code. */
export async function runWithConfig(config: SwarmConfig, opts: RunCommandOptions): Promise<number> {
  const runtime = await openCommandRuntime({
    config,
    ...(opts.store ? { storeFile: opts.store } : {}),
    ...(opts.agents ? { agentsDir: opts.agents } : {}),
    ...(opts.model ? { modelOverride: opts.model } : {}),
    onStoreError: (error) => process.stderr.write(formatError(error)),
  });
  let observability: Observability | undefined;
  try {
    observability = await observeRuntime(runtime);
    const manifest = runtime.registry.get(opts.agent);
    let rootNodeId: string | undefined;
    const status = new StatusLine(() => rootNodeId, !opts.json);
    const unsubscribe = runtime.events.subscribe((event) => {
      if (event.type === 'agent.started' && event.depth === 0) rootNodeId = event.nodeId;
      if (event.type === 'model.call' && !event.data.ok && event.nodeId === rootNodeId) {
        status.discardedAnswer(event.data.error ?? 'the call failed');
      }
      status.onEvent(event);
    });
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts > 1) process.exit(130);
      status.log(pc.yellow('cancelling the run… (Ctrl-C again to quit at once)'));
      controller.abort(new Error('interrupted (Ctrl-C)'));
    };
    process.on('SIGINT', onSigint);
    const budget = {
      ...config.budget,
      ...manifest.limits.budget,
      ...(opts.budgetUsd === undefined ? {} : { usd: opts.budgetUsd }),
      ...(opts.budgetTokens === undefined ? {} : { tokens: opts.budgetTokens }),
    };
    const outcome = await executeRun({
      agent: opts.agent,
      task: opts.task,
      events: runtime.events,
      runner: runtime.runner,
      tenantId: config.tenant,
      budget,
      maxDepth: opts.maxDepth ?? config.limits.maxDepth,
      timeoutSeconds: opts.timeout ?? manifest.limits.timeoutSeconds ?? config.limits.timeoutSeconds,
      signal: controller.signal,
    });
    process.off('SIGINT', onSigint);
    unsubscribe();
    status.stop();
    runtime.store.flush();
    const { run, nodes } = runtime.store.getRun(outcome.runId);
    if (opts.json) {
      printJson({
        ...outcomeJson(outcome),
        agents: nodes.length,
        inputTokens: run.inputTokens,
        outputTokens: run.outputTokens,
        costUsd: run.costUsd,
        durationMs: (run.finishedAt ?? Date.now()) - run.startedAt,
      });
    } else {
      if (outcome.outcome !== 'succeeded') process.stderr.write(formatError(outcome.error));
      const mark =
        outcome.outcome === 'succeeded'
          ? pc.green('✓')
          : outcome.outcome === 'cancelled'
            ? pc.yellow('■')
            : pc.red('✗');
      process.stderr.write(
        `${mark} ${outcome.outcome} · ${run.id} · ${nodes.length} agent${nodes.length === 1 ? '' : 's'} · ` +
          `${formatTokens(run.inputTokens + run.outputTokens)} tokens · ${formatUsd(run.costUsd)} · ` +
          `${formatDuration((run.finishedAt ?? Date.now()) - run.startedAt)}\n` +
          pc.dim(`  details: swarm runs show ${run.id}\n`),
      );
    }
    return outcome.outcome === 'succeeded' ? 0 : outcome.outcome === 'cancelled' ? 130 : 1;
  } finally {
    await observability?.close();
    await closeCommandRuntime(runtime);
  }
}
