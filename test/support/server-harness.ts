import { join } from 'node:path';
import type { SwarmConfig } from '../../src/core/config.js';
import type { Backend } from '../../src/engine/index.js';
import { openBackend } from '../../src/engine/index.js';
import { type GatewayServer, startGateway } from '../../src/gateway/index.js';
import { type StartServerOptions, type SwarmServer, startServer } from '../../src/server/index.js';
import { runtimeStepRunner, WorkflowEngine } from '../../src/workflows/index.js';
import { type Harness, type HarnessOptions, startHarness, writeTree } from './harness.js';

export interface ServerHarnessOptions extends HarnessOptions {
  server?: Partial<Omit<StartServerOptions, 'runtime' | 'agentsDir' | 'workflows'>>;
  /** Workflow files by name, written to the server's workflows directory. */
  workflowFiles?: Record<string, string>;
  workers?: number;
  /** Providers added to the runtime's config (their key variables are secrets the server must redact). */
  providers?: SwarmConfig['providers'];
  /** A gateway config (given the simulator's base URL) to run in the same process. */
  gateway?: (simBaseURL: string) => unknown;
  /** Sent as `Authorization: Bearer` by api(). */
  bearer?: string;
}

export interface ServerHarness {
  h: Harness;
  server: SwarmServer;
  backend: Backend;
  engine: WorkflowEngine;
  gateway: GatewayServer | undefined;
  url: string;
  /** fetch relative to the server, JSON in and out. */
  api(
    path: string,
    init?: RequestInit & { json?: unknown },
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field
  ): Promise<{ status: number; body: any; text: string }>;
  close(): Promise<void>;
}

/**
 * `swarm serve` wired as the CLI wires it, in this process: the simulator
 * over HTTP, a real SQLite run store and engine, the workflow worker, and
 * the server on a free loopback port.
 */
export async function startServerHarness(options: ServerHarnessOptions): Promise<ServerHarness> {
  const h = await startHarness(options);
  Object.assign(h.runtime.config.providers, options.providers);
  const backend = await openBackend(`sqlite:${join(h.dir, 'engine.db')}`);
  const engine = await WorkflowEngine.open(backend, runtimeStepRunner(h.runtime), {
    events: h.runtime.events,
    leaseMs: 5_000,
  });
  const workflowsDir = join(h.dir, 'workflows');
  writeTree(workflowsDir, options.workflowFiles ?? {});
  let server: SwarmServer;
  let gateway: GatewayServer | undefined;
  try {
    if (options.gateway) gateway = await startGateway({ config: options.gateway(h.sim.baseURL), port: 0 });
    const inProcess = gateway;
    server = await startServer({
      runtime: h.runtime,
      agentsDir: h.runtime.config.agents,
      port: 0,
      webDir: false,
      pollMs: 100,
      ...options.server,
      ...(inProcess ? { gateway: { backends: () => inProcess.backends() } } : {}),
      workflows: { engine, backend, dir: workflowsDir, workers: options.workers ?? 2 },
    });
  } catch (error) {
    await gateway?.close();
    await backend.close();
    await h.close();
    throw error;
  }
  const headers: Record<string, string> = options.bearer ? { authorization: `Bearer ${options.bearer}` } : {};
  return {
    h,
    server,
    backend,
    engine,
    url: server.url,
    async api(path, init = {}) {
      const { json, ...rest } = init;
      const res = await fetch(`${server.url}${path}`, {
        ...rest,
        headers: {
          ...headers,
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          ...(rest.headers as Record<string, string> | undefined),
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.status, body, text };
    },
    gateway,
    async close() {
      await server.close();
      await gateway?.close();
      await backend.close();
      await h.close();
    },
  };
}

/** Resolves when `check` returns a value other than undefined/false, polling every 25 ms. */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
