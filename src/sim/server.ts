import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import { isLoopback, urlHost } from '../core/listen-address.js';
import { anthropicError } from './anthropic-wire.js';
import { SimListenError, SimOptionError, SimRemoteHostError } from './errors.js';
import { readBody, sendJson, sendOpenAiError } from './http-io.js';
import type { MetricsStyle } from './metrics-text.js';
import type { RecordedRequest } from './request-log.js';
import * as routes from './routes.js';
import { loadScenario, parseScenario, type Scenario, type ScenarioInput } from './scenario.js';
import { createSimState, type SimState } from './sim-state.js';

export interface SimOptions {
  /** A scenario object, or the path of a YAML or JSON scenario file. */
  scenario: Scenario | ScenarioInput | string;
  /** Default 127.0.0.1. Anything beyond loopback needs `allowRemote`. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Overrides the scenario's apiKey. */
  apiKey?: string;
  metricsStyle?: MetricsStyle;
  allowRemote?: boolean;
}

export interface SimServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `url + '/v1'`, what OpenAI clients take as their base URL. */
  baseURL: string;
  port: number;
  requests(): RecordedRequest[];
  /** Clears the request log and restarts request numbering and rule `times` counts. */
  reset(): void;
  /** Stops listening and drops every open connection, including streams and stalls in progress. */
  close(): Promise<void>;
}

const optionsSchema = z.strictObject({
  scenario: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  apiKey: z.string().min(1).optional(),
  metricsStyle: z.enum(['v1', 'v0']).default('v1'),
  allowRemote: z.boolean().default(false),
});

type Handler = (ctx: routes.RouteContext) => void | Promise<void>;

const ROUTES: Record<string, Record<string, Handler>> = {
  '/v1/chat/completions': { POST: routes.chatCompletions },
  '/v1/completions': { POST: routes.completions },
  '/v1/messages': { POST: routes.messages },
  '/v1/embeddings': { POST: routes.embeddings },
  '/v1/models': { GET: routes.models },
  '/metrics': { GET: routes.metrics },
  '/health': {
    GET: ({ res }) => {
      res.writeHead(200);
      res.end();
    },
  },
};

export async function startSim(options: SimOptions): Promise<SimServer> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'options'}: ${i.message}`)
      .join('; ');
    throw new SimOptionError(`invalid simulator options: ${detail}`, 'See SimOptions in src/sim/server.ts.');
  }
  const { host, port, allowRemote, metricsStyle } = parsed.data;
  if (!allowRemote && !isLoopback(host)) throw new SimRemoteHostError(host);
  const scenario =
    typeof options.scenario === 'string' ? loadScenario(options.scenario) : parseScenario(options.scenario);
  const apiKey = options.apiKey ?? scenario.apiKey;
  const state = createSimState(scenario, metricsStyle);
  const inFlight = new Set<AbortController>();
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const controller = new AbortController();
    inFlight.add(controller);
    // Fires when the response ends or the client hangs up; either way pending waits must stop.
    res.on('close', () => {
      controller.abort();
      inFlight.delete(controller);
    });
    handle(state, apiKey, req, res, controller.signal).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendOpenAiError(res, 500, `simulator failure: ${errorMessage(error)}`, { type: 'server_error' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new SimListenError(host, port, error)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${urlHost(host)}:${boundPort}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    baseURL: `${url}/v1`,
    port: boundPort,
    requests: () => state.log.list(),
    reset: () => resetState(state),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const controller of inFlight) controller.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

async function handle(
  state: SimState,
  apiKey: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
) {
  const method = req.method ?? 'GET';
  const rawPath = req.url ?? '/';
  const pathname = new URL(rawPath, 'http://sim').pathname;
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const read = await readBody(req);
  const body = read.ok ? parseBody(read.text) : null;
  const guarded = path.startsWith('/v1/') || path.startsWith('/sim/');
  const entry = path.startsWith('/sim/') ? undefined : state.log.record(method, rawPath, req.headers, body);

  if (guarded && apiKey !== undefined && !authorized(req.headers, apiKey)) {
    if (path === '/v1/messages') {
      return sendJson(res, 401, anthropicError(401, 'invalid x-api-key'));
    }
    return sendOpenAiError(
      res,
      401,
      'Incorrect or missing API key. Send it as an Authorization header: "Authorization: Bearer YOUR_KEY".',
      { code: 'invalid_api_key' },
    );
  }
  if (!read.ok) return sendOpenAiError(res, read.status, read.message);
  if (path === '/sim/requests') return simRequests(state, method, res);

  const route = ROUTES[path];
  const handler = route?.[method];
  if (!route || !entry) return sendOpenAiError(res, 404, `Unknown path ${path}.`, { code: 'not_found' });
  if (!handler) {
    return sendOpenAiError(
      res,
      405,
      `${method} is not allowed on ${path}; use ${Object.keys(route).join(', ')}.`,
      {},
      {
        allow: Object.keys(route).join(', '),
      },
    );
  }
  if (method === 'POST' && typeof body === 'string') {
    return sendOpenAiError(
      res,
      400,
      'We could not parse the JSON body of your request: it is not valid JSON.',
    );
  }
  await handler({ state, body, res, signal, entry });
}

/** Lets tests that run the simulator in another process see and clear what it received. */
function simRequests(state: SimState, method: string, res: ServerResponse) {
  if (method === 'GET') return sendJson(res, 200, state.log.list());
  if (method === 'DELETE') {
    resetState(state);
    res.writeHead(204);
    return res.end();
  }
  sendOpenAiError(
    res,
    405,
    `${method} is not allowed on /sim/requests; use GET or DELETE.`,
    {},
    {
      allow: 'GET, DELETE',
    },
  );
}

function resetState(state: SimState) {
  state.log.clear();
  state.book.reset();
}

/** JSON when it parses, the raw text otherwise (so the log shows what was sent), null when empty. */
function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** OpenAI clients send `Authorization: Bearer`, Anthropic clients `x-api-key`. */
function authorized(headers: IncomingMessage['headers'], apiKey: string): boolean {
  const anthropic = headers['x-api-key'];
  const given =
    /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]?.trim() ??
    (typeof anthropic === 'string' ? anthropic.trim() : '');
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(apiKey));
}
