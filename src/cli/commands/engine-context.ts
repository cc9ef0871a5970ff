import { hostname } from 'node:os';
import type { Runtime } from '../../agents/runtime.js';
import { loadConfig, type SwarmConfig } from '../../core/config.js';
import type { Backend } from '../../engine/backend.js';
import { openBackend } from '../../engine/open-backend.js';
import type { Observability } from '../../observe/observability.js';
import { WorkflowEngine } from '../../workflows/engine.js';
import { runtimeStepRunner } from '../../workflows/runtime-step-runner.js';
import { formatError } from '../action.js';
import { closeCommandRuntime, openCommandRuntime } from './command-runtime.js';
import { observeRuntime } from './observability.js';

export interface EngineCommandOptions {
  config?: string;
  engine?: string;
  store?: string;
  agents?: string;
  /** The project directory (default: the current one). */
  cwd?: string;
}

export interface EngineContext {
  config: SwarmConfig;
  runtime: Runtime;
  backend: Backend;
  engine: WorkflowEngine;
  node: string;
  /** Tracing and the audit log of this process; its redactor cleans what the command logs. */
  observability: Observability;
  close(): Promise<void>;
}

/** Everything a workflow or worker command needs, wired as one process. */
export async function openEngineContext(opts: EngineCommandOptions): Promise<EngineContext> {
  const config = loadConfig({ cwd: opts.cwd ?? process.cwd(), file: opts.config });
  const node = `${hostname()}-${process.pid}`;
  const backend = await openBackend(opts.engine ?? config.engine, { cwd: config.root, name: node });
  let runtime: Runtime;
  try {
    runtime = await openCommandRuntime({
      config,
      ...(opts.store ? { storeFile: opts.store } : {}),
      ...(opts.agents ? { agentsDir: opts.agents } : {}),
      onStoreError: (error) => process.stderr.write(formatError(error)),
    });
  } catch (error) {
    await backend.close();
    throw error;
  }
  let observability: Observability;
  try {
    observability = await observeRuntime(runtime);
  } catch (error) {
    await closeCommandRuntime(runtime);
    await backend.close();
    throw error;
  }
  const engine = await WorkflowEngine.open(backend, runtimeStepRunner(runtime), {
    events: runtime.events,
    leaseMs: config.limits.leaseSeconds * 1000,
  });
  return {
    config,
    runtime,
    backend,
    engine,
    node,
    observability,
    async close() {
      await observability.close();
      await closeCommandRuntime(runtime);
      await backend.close();
    },
  };
}
