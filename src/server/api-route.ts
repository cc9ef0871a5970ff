import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { InvalidRequestError, MalformedJsonError } from './errors.js';

export type HttpMethod = 'get' | 'post';

export interface RouteInput<Q, B> {
  params: Record<string, string>;
  query: Q;
  body: B;
  c: Context;
}

/**
 * One endpoint: its schemas serve both to validate requests and to write
 * the OpenAPI document, so the two cannot drift apart.
 */
export interface ApiRoute<Q = unknown, B = unknown> {
  method: HttpMethod;
  /** Hono syntax: `/api/runs/:id`. */
  path: string;
  summary: string;
  tag: string;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The body may be left out entirely (it is then validated as `{}`). */
  bodyOptional?: boolean;
  response?: z.ZodType;
  /** Status of a success; 200 unless given. */
  status?: 200 | 201 | 202;
  /** Answers with text/event-stream instead of JSON. */
  sse?: boolean;
  handler(input: RouteInput<Q, B>): Promise<unknown> | unknown;
}

export function route<Q = undefined, B = undefined>(r: ApiRoute<Q, B>): ApiRoute<Q, B> {
  return r;
}

export function problems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Parses the body as JSON, naming the position of a syntax error, then validates it. */
export async function readBody<B>(c: Context, r: ApiRoute<unknown, B>): Promise<B> {
  if (!r.body) return undefined as B;
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== '') {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new MalformedJsonError((error as Error).message);
    }
  } else if (!r.bodyOptional) {
    throw new MalformedJsonError('the body is empty; this endpoint needs a JSON object');
  }
  const parsed = r.body.safeParse(raw);
  if (!parsed.success) throw new InvalidRequestError('body', problems(parsed.error));
  return parsed.data;
}

export function readQuery<Q>(c: Context, r: ApiRoute<Q, unknown>): Q {
  if (!r.query) return undefined as Q;
  const parsed = r.query.safeParse(c.req.query());
  if (!parsed.success) throw new InvalidRequestError('query', problems(parsed.error));
  return parsed.data;
}

export function mount(
  app: Hono,
  routes: readonly ApiRoute<never, never>[],
  send: (c: Context, status: number, value: unknown) => Response,
): void {
  for (const r of routes as readonly ApiRoute[]) {
    app.on(r.method.toUpperCase(), r.path, async (c) => {
      const query = readQuery(c, r);
      const body = await readBody(c, r);
      const result = await r.handler({ params: c.req.param() as Record<string, string>, query, body, c });
      return result instanceof Response ? result : send(c, r.status ?? 200, result);
    });
  }
}
