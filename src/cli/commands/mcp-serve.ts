import { relative, resolve } from 'node:path';
import { executeRun, outcomeJson } from '../../agents/run.js';
import type { SwarmServices } from '../../mcp/index.js';
import { MemoryStore, memorySearch } from '../../memory/index.js';
import { loadWorkflowFile } from '../../workflows/load.js';
import { InvalidInputError } from '../errors.js';
import { type EngineCommandOptions, openEngineContext } from './engine-context.js';

export interface SwarmService {
  services: SwarmServices;
  close(): Promise<void>;
}

/**
 * The runtime (with the configured MCP servers' tools, so agents run here
 * can use them), the workflow engine with a worker in this process (so a
 * started workflow runs), memory and the run store, behind the interface the
 * MCP server layer defines. Nothing is written to stdout: it may be the
 * stdio transport.
 */
export async function startSwarmService(
  opts: EngineCommandOptions & { workers?: number; cwd?: string },
): Promise<SwarmService> {
  const { config, runtime, engine, close } = await openEngineContext(opts);
  const worker = engine.worker(opts.workers ?? 2).start();
  const inProject = (file: string) => {
    const path = resolve(config.root, file);
    const rel = relative(config.root, path);
    if (rel.startsWith('..') || resolve(rel) === rel)
      throw new InvalidInputError(`workflow file ${file} is outside the project (${config.root})`);
    return path;
  };
  const services: SwarmServices = {
    async listAgents() {
      return runtime.registry
        .list()
        .map(({ manifest }) => ({ name: manifest.name, description: manifest.description }));
    },
    async runAgent(input, signal) {
      const manifest = runtime.registry.get(input.agent);
      const outcome = await executeRun({
        agent: input.agent,
        task: input.task,
        events: runtime.events,
        runner: runtime.runner,
        tenantId: config.tenant,
        budget: {
          ...config.budget,
          ...manifest.limits.budget,
          ...(input.budgetUsd ? { usd: input.budgetUsd } : {}),
        },
        maxDepth: config.limits.maxDepth,
        timeoutSeconds:
          input.timeoutSeconds ?? manifest.limits.timeoutSeconds ?? config.limits.timeoutSeconds,
        signal,
      });
      runtime.store.flush();
      const { run } = runtime.store.getRun(outcome.runId);
      return {
        ...outcomeJson(outcome),
        inputTokens: run.inputTokens,
        outputTokens: run.outputTokens,
        costUsd: run.costUsd,
      };
    },
    async startWorkflow({ file, input }) {
      const workflow = loadWorkflowFile(inProject(file));
      const runId = await engine.start(workflow, { input, tenantId: config.tenant, budget: config.budget });
      return { runId, workflow: workflow.name, status: 'running' };
    },
    async searchMemory(input) {
      const store = await MemoryStore.open({ dir: resolve(config.root, config.memory.dir), readOnly: true });
      try {
        const { text, dependencies } = await memorySearch(store, input, { tenant: config.tenant });
        return { text, sources: dependencies };
      } finally {
        await store.close();
      }
    },
    async runStatus(runId) {
      let agentRun: ReturnType<typeof runtime.store.getRun> | undefined;
      let lookupError: unknown;
      try {
        agentRun = runtime.store.getRun(runtime.store.resolveRunId(runId), config.tenant);
      } catch (error) {
        lookupError = error;
      }
      const workflowRun = await engine.status(agentRun?.run.id ?? runId).catch(() => undefined);
      if (!agentRun && !workflowRun) throw lookupError;
      return {
        runId: agentRun?.run.id ?? runId,
        ...(agentRun
          ? {
              status: agentRun.run.status,
              agent: agentRun.run.agent,
              output: agentRun.run.output,
              error: agentRun.run.error,
              inputTokens: agentRun.run.inputTokens,
              outputTokens: agentRun.run.outputTokens,
              costUsd: agentRun.run.costUsd,
              agents: agentRun.nodes.map((n) => ({
                agent: n.agent,
                depth: n.depth,
                status: n.status,
                error: n.error,
              })),
            }
          : {}),
        ...(workflowRun
          ? {
              status: workflowRun.run.status,
              workflow: workflowRun.run.name,
              ...(workflowRun.run.error ? { error: workflowRun.run.error } : {}),
              steps: Object.fromEntries(
                [...workflowRun.steps].map(([id, cp]) => [
                  id,
                  {
                    status: cp.status,
                    ...(cp.error ? { error: cp.error } : {}),
                    ...(cp.output === undefined ? {} : { output: cp.output }),
                  },
                ]),
              ),
            }
          : {}),
      };
    },
  };
  return {
    services,
    async close() {
      await worker.stop(5_000);
      await close();
    },
  };
}
