import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Runtime } from '../agents/index.js';
import { urlHost } from '../core/listen-address.js';
import type { Backend } from '../engine/index.js';
import { configRedactor, PROMETHEUS_CONTENT_TYPE, SecretRedactor, SwarmMetrics } from '../observe/index.js';
import type { WorkflowEngine } from '../workflows/index.js';
import { ApiAuth } from './api-auth.js';
import { createApp } from './app.js';
import { ServerListenError } from './errors.js';
import { EventFeed } from './event-feed.js';
import { RunManager } from './run-manager.js';
import { keyHashFrom, parseServerConfig, type ServerConfig } from './server-config.js';
import type { InProcessGateway, ServerDeps } from './server-deps.js';
import { defaultWebDir, StaticFiles } from './static-files.js';
import { StoreReader } from './store-reader.js';
import { WorkflowService } from './workflow-service.js';

export interface StartServerOptions {
  runtime: Runtime;
  /** The manifest directory the runtime loaded. */
  agentsDir: string;
  /** The `server:` section of the config, unparsed (it is validated here). */
  serverConfig?: unknown;
  host?: string;
  port?: number;
  /** Where the API key hash (SWARM_SERVER_KEY_HASH) and provider keys are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Workflows on an engine; with `workers` > 0 this process also runs their steps. */
  workflows?: { engine: WorkflowEngine; backend: Backend; dir?: string; workers: number };
  gateway?: InProcessGateway & { secrets?: readonly string[] };
  /** The built dashboard; false serves the API only. Default: this package's web/dist. */
  webDir?: string | false;
  /** How often runs in other processes are looked for in the store. */
  pollMs?: number;
}

export interface SwarmServer {
  url: string;
  host: string;
  port: number;
  app: Hono;
  deps: ServerDeps;
  close(): Promise<void>;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Starts `swarm serve`: refuses to listen beyond loopback without a key, and refuses without a built UI. */
export async function startServer(options: StartServerOptions): Promise<SwarmServer> {
  const env = options.env ?? process.env;
  const config: ServerConfig = parseServerConfig(options.serverConfig);
  const host = options.host ?? config.host;
  const port = options.port ?? config.port;
  const auth = new ApiAuth(host, keyHashFrom(config, env));
  const web = options.webDir === false ? undefined : new StaticFiles(options.webDir ?? defaultWebDir());
  const { runtime } = options;
  const node = `${hostname()}-${process.pid}`;
  const redactor = new SecretRedactor([
    ...configRedactor(runtime.config, env).secrets,
    ...(options.gateway?.secrets ?? []),
  ]);
  runtime.store.flush();
  const reader = new StoreReader(runtime.store.file);
  const feed = new EventFeed(reader, () => runtime.store.flush(), redactor, options.pollMs);
  const unsubscribe = runtime.events.subscribe(() => feed.wake());
  const workflows = options.workflows
    ? new WorkflowService(
        options.workflows.engine,
        options.workflows.backend,
        runtime.events,
        options.workflows.dir ?? resolve(runtime.config.root, config.workflows),
        runtime.config.tenant,
        runtime.config.budget,
        node,
      )
    : undefined;
  const runs = new RunManager(runtime, workflows);
  const deps: ServerDeps = {
    runtime,
    reader,
    feed,
    runs,
    workflows,
    gateway: options.gateway,
    config,
    agentsDir: options.agentsDir,
    node,
  };
  const metrics = new SwarmMetrics({
    ...(workflows ? { queues: () => [workflows.engine.queue] } : {}),
    runCounts: () => runtime.store.countRunsByStatus(),
  });
  const detachMetrics = metrics.attach(runtime.events);
  const { app } = createApp(deps, {
    auth,
    redactor,
    version: packageVersion(),
    web,
    metrics: { render: () => metrics.render(), contentType: PROMETHEUS_CONTENT_TYPE },
  });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(new ServerListenError(host, port, error)));
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    detachMetrics();
    unsubscribe();
    feed.close();
    reader.close();
    throw error;
  }
  if (workflows && options.workflows && options.workflows.workers > 0) {
    await workflows.startWorker(options.workflows.workers);
  }
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${bound}`,
    host,
    port: bound,
    app,
    deps,
    close() {
      closing ??= (async () => {
        feed.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await stopped;
        await runs.close();
        await workflows?.stop();
        detachMetrics();
        unsubscribe();
        reader.close();
      })();
      return closing;
    },
  };
}
