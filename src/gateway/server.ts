import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorMessage } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import { isLoopback, urlHost } from '../core/listen-address.js';
import type { KvStore } from '../engine/backend.js';
import { type GatewayConfig, parseGatewayConfig } from './config.js';
import { GatewayListenError, GatewayRemoteHostError, GatewayRequestError } from './errors.js';
import { Fleet } from './fleet.js';
import { forward, type GatewayCore } from './forward.js';
import { GatewayEvents, toSwarmEvent } from './gateway-events.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { type BackendStatus, healthReport } from './health-report.js';
import { sendError, sendJson } from './http-io.js';
import { type AccountSnapshot, KeyRing, KeyStateStore } from './keys/index.js';
import { Monitor } from './monitor.js';

export interface GatewayOptions {
  /** The gateway config, as parsed from YAML or written in code; validated here. */
  config: unknown;
  /** Where backends' `apiKeyEnv` variables are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Override listen.host / listen.port. */
  host?: string;
  port?: number;
  /** Source of randomness for weighted-random and power-of-two; seed it for reproducible tests. */
  random?: () => number;
  /**
   * Where keys' spend and rate windows live, when the caller already has the engine's store open;
   * otherwise the gateway opens `state.engine` itself (in memory when that is not set either).
   */
  kv?: KvStore;
  /** Swarm's event bus: each request's `gateway.request` event goes there too (and so to the run store). */
  bus?: EventBus;
}

export interface GatewayServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `url + '/v1'`, what OpenAI clients take as their base URL. */
  baseURL: string;
  port: number;
  config: GatewayConfig;
  /** One `gateway.request` event per client request, with the routing decision and its reasons. */
  events: GatewayEvents;
  backends(): BackendStatus[];
  /** Limits and spend of each virtual key (never the key itself). */
  accounts(): AccountSnapshot[];
  /** Runs a round of probes / scrapes now instead of waiting for the interval. */
  probe(): Promise<void>;
  scrape(): Promise<void>;
  /** Stops listening and drops every open connection, streams included. */
  close(): Promise<void>;
}

type Handler = (core: GatewayCore, req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const ROUTES: Record<string, Record<string, Handler>> = {
  '/v1/chat/completions': { POST: (core, req, res) => forward(core, 'chat', req, res) },
  '/v1/completions': { POST: (core, req, res) => forward(core, 'completions', req, res) },
  '/v1/embeddings': { POST: (core, req, res) => forward(core, 'embeddings', req, res) },
  '/v1/models': { GET: listModels },
  '/health': {
    GET: (core, _req, res) => {
      const report = healthReport(core.fleet, Date.now());
      sendJson(res, report.status === 'down' ? 503 : 200, report);
    },
  },
  '/metrics': {
    GET: (core, _req, res) => {
      const text = core.metrics.render();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(text);
    },
  },
};

/** Starts the gateway: validates the config, resolves backends, listens, and starts probing and scraping. */
export async function startGateway(options: GatewayOptions): Promise<GatewayServer> {
  const config = parseGatewayConfig(options.config);
  const host = options.host ?? config.listen.host;
  const port = options.port ?? config.listen.port;
  if (!config.listen.allowRemote && !isLoopback(host)) throw new GatewayRemoteHostError(host);
  const fleet = new Fleet(config, options.env ?? process.env, options.random);
  let state: { store: KeyStateStore; close: () => Promise<void> } | undefined;
  try {
    await fleet.prepare();
    if (KeyRing.needsStore(config.keys)) state = await openKeyState(config, options.kv);
  } catch (error) {
    fleet.close();
    throw error;
  }
  // A hold must outlive every request it covers, which the request timeout bounds.
  const keys = new KeyRing(config.keys, state?.store, config.timeouts.requestMs + 60_000);
  try {
    await keys.load();
  } catch (error) {
    fleet.close();
    await state?.close();
    throw error;
  }
  const core: GatewayCore = {
    config,
    fleet,
    keys,
    metrics: new GatewayMetrics(fleet, keys),
    events: new GatewayEvents(),
  };
  const { bus } = options;
  if (bus) core.events.subscribe((event) => bus.emit(toSwarmEvent(event)));
  const monitor = new Monitor(fleet, config, (backend, change) => {
    if (change === 'up') fleet.recovered(backend);
  });
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    route(core, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, {
          error: {
            message: `gateway failure: ${errorMessage(error)}`,
            type: 'server_error',
            param: null,
            code: 'internal_error',
          },
        });
      } else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      fleet.close();
      void state?.close();
      reject(new GatewayListenError(host, port, error));
    });
    server.listen(port, host, () => resolve());
  });
  monitor.start();
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${urlHost(host)}:${boundPort}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    baseURL: `${url}/v1`,
    port: boundPort,
    config,
    events: core.events,
    backends: () => healthReport(fleet, Date.now()).backends,
    accounts: () => keys.accounts().map((a) => a.snapshot(Date.now())),
    probe: () => monitor.probeAll(true),
    scrape: () => monitor.scrapeAll(true),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        monitor.stop();
        server.close(() => {
          // Settlements of requests cut off by the close have run by now.
          void (state?.close() ?? Promise.resolve()).finally(resolve);
        });
        for (const socket of sockets) socket.destroy();
        fleet.close();
      });
      return closing;
    },
  };
}

async function route(core: GatewayCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const raw = req.url ?? '/';
  const query = raw.indexOf('?');
  const pathname = query < 0 ? raw : raw.slice(0, query);
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const routes = ROUTES[path];
  const handler = routes?.[method];
  if (!routes) {
    req.resume();
    return sendJson(res, 404, {
      error: {
        message: `Unknown path ${path}. The gateway serves /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models, /health and /metrics.`,
        type: 'invalid_request_error',
        param: null,
        code: 'not_found',
      },
    });
  }
  if (!handler) {
    req.resume();
    const allow = Object.keys(routes).join(', ');
    return sendJson(
      res,
      405,
      {
        error: {
          message: `${method} is not allowed on ${path}; use ${allow}.`,
          type: 'invalid_request_error',
          param: null,
          code: 'method_not_allowed',
        },
      },
      { allow },
    );
  }
  await handler(core, req, res);
}

/** The union of every backend's models, by alias, limited to what the key may use. */
function listModels(core: GatewayCore, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  try {
    const account = core.keys.authenticate(req.headers.authorization, req.headers['api-key']);
    const created = Math.floor(Date.now() / 1000);
    sendJson(res, 200, {
      object: 'list',
      data: core.fleet
        .models()
        .filter((m) => core.keys.allows(account, m))
        .map((id) => ({ id, object: 'model', created, owned_by: 'swarm-gateway' })),
    });
  } catch (error) {
    if (!(error instanceof GatewayRequestError)) throw error;
    sendError(res, error);
  }
}

/** The engine store for key state: the caller's, or one opened (and later closed) here. */
async function openKeyState(
  config: GatewayConfig,
  kv: KvStore | undefined,
): Promise<{ store: KeyStateStore; close: () => Promise<void> }> {
  if (kv) return { store: new KeyStateStore(kv), close: async () => {} };
  const { openBackend } = await import('../engine/open-backend.js');
  const backend = await openBackend(config.state.engine ?? 'sqlite::memory:', { name: 'swarm-gateway' });
  try {
    return { store: new KeyStateStore(await backend.kv(config.state.bucket)), close: () => backend.close() };
  } catch (error) {
    await backend.close();
    throw error;
  }
}
