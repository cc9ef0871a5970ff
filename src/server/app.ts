import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { errorMessage, isSwarmError } from '../core/errors.js';
import type { SecretRedactor } from '../observe/index.js';
import type { ApiAuth } from './api-auth.js';
import { type ApiRoute, mount, route } from './api-route.js';
import { ApiError, RouteNotFoundError, statusOf } from './errors.js';
import { openApiDocument } from './openapi.js';
import { infoRoutes } from './routes/info-routes.js';
import { runRoutes } from './routes/run-routes.js';
import { workflowRoutes } from './routes/workflow-routes.js';
import type { ServerDeps } from './server-deps.js';
import type { StaticFiles } from './static-files.js';

const MAX_BODY_BYTES = 1024 * 1024;

export interface AppOptions {
  auth: ApiAuth;
  redactor: SecretRedactor;
  version: string;
  web: StaticFiles | undefined;
  /** The Prometheus text of the process's metrics (runs, steps, tokens, cost, queue depth, errors). */
  metrics: { render(): Promise<string>; contentType: string };
}

const serverInfo = z.object({
  version: z.string(),
  authRequired: z.boolean(),
  workflows: z.boolean(),
  gateway: z.boolean(),
  node: z.string(),
});

/**
 * The HTTP API and the dashboard. Every JSON body and SSE frame passes the
 * redactor; every error is `{ error: { code, message, hint } }`; with a key
 * configured, everything but the dashboard's static files needs it.
 */
export function createApp(
  d: ServerDeps,
  options: AppOptions,
): { app: Hono; routes: ApiRoute<never, never>[] } {
  const { auth, redactor } = options;
  const app = new Hono();
  const send = (c: Context, status: number, value: unknown) =>
    c.body(JSON.stringify(redactor.value(value)), status as 200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
  const fail = (c: Context, error: unknown) => {
    if (isSwarmError(error)) {
      return send(c, statusOf(error), {
        error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
      });
    }
    return send(c, 500, {
      error: { code: 'internal_error', message: `internal error: ${errorMessage(error)}` },
    });
  };
  app.onError((error, c) => fail(c, error));
  const guarded = async (c: Context, next: () => Promise<void>) => {
    auth.check(c.req.header('authorization'));
    await next();
  };
  app.use('/api/*', guarded);
  app.use('/openapi.json', guarded);
  app.use('/metrics', guarded);
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        fail(
          c,
          new ApiError(413, 'body_too_large', `the request body is larger than ${MAX_BODY_BYTES} bytes`),
        ),
    }),
  );
  const routes = [
    route({
      method: 'get',
      path: '/api/server',
      tag: 'server',
      summary: 'What this server offers: auth, workflows, gateway',
      response: serverInfo,
      handler: () => ({
        version: options.version,
        authRequired: auth.required,
        workflows: d.workflows !== undefined,
        gateway: d.gateway !== undefined,
        node: d.node,
      }),
    }),
    ...runRoutes(d),
    ...workflowRoutes(d),
    ...infoRoutes(d),
  ] as ApiRoute<never, never>[];
  mount(app, routes, send);
  const document = openApiDocument(routes, { version: options.version, authRequired: auth.required });
  app.get('/openapi.json', (c) => send(c, 200, document));
  const { metrics } = options;
  app.get('/metrics', async (c) =>
    c.body(await metrics.render(), 200, { 'content-type': metrics.contentType }),
  );
  app.all('/api/*', (c) => fail(c, new RouteNotFoundError(c.req.method, c.req.path)));
  const { web } = options;
  if (web) app.get('*', (c) => web.respond(c.req.path));
  app.notFound((c) => fail(c, new RouteNotFoundError(c.req.method, c.req.path)));
  return { app, routes };
}
