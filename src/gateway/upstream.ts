import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HttpEndpoint } from './backend.js';
import type { Cancellation } from './cancellation.js';

export interface UpstreamExchange {
  req: ClientRequest;
  res: IncomingMessage;
}

/** A connection-level failure: the backend could not be reached or hung up before answering. */
export class UpstreamConnectionError extends Error {
  constructor(
    readonly backend: string,
    readonly detail: string,
    /** Nothing listens at the address (refused, unknown host, unreachable network). */
    readonly unreachable: boolean,
  ) {
    super(`${backend}: ${detail}`);
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * POSTs `body` to the backend over its keep-alive agent and resolves when
 * the response headers arrive. A kept-alive socket the server closed just as
 * we reused it fails with ECONNRESET before anything is answered; that is
 * retried once on a fresh socket instead of being blamed on the backend.
 * `cancel` destroys the request at any point, the response body included.
 */
export function postUpstream(
  backend: string,
  http: HttpEndpoint,
  path: string,
  body: Buffer,
  accept: string,
  cancel: Cancellation,
): Promise<UpstreamExchange> {
  return attempt(backend, http, path, body, accept, cancel, true);
}

function attempt(
  backend: string,
  http: HttpEndpoint,
  path: string,
  body: Buffer,
  accept: string,
  cancel: Cancellation,
  mayRetry: boolean,
): Promise<UpstreamExchange> {
  return new Promise((resolve, reject) => {
    if (cancel.aborted) return reject(cancel.reason);
    const send = http.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send({
      agent: http.agent,
      hostname: http.hostname,
      port: http.port,
      method: 'POST',
      path: http.basePath + path,
      headers: {
        ...http.headers,
        'content-type': 'application/json',
        'content-length': body.length,
        accept,
      },
    });
    const detach = cancel.onAbort(() => req.destroy(new Error('cancelled')));
    req.once('response', (res) => {
      res.once('close', detach);
      resolve({ req, res });
    });
    req.once('error', (error: NodeJS.ErrnoException) => {
      detach();
      if (cancel.aborted) return reject(cancel.reason);
      if (mayRetry && req.reusedSocket && error.code === 'ECONNRESET') {
        attempt(backend, http, path, body, accept, cancel, false).then(resolve, reject);
        return;
      }
      reject(
        new UpstreamConnectionError(backend, describeNetError(error), UNREACHABLE.has(error.code ?? '')),
      );
    });
    req.end(body);
  });
}

/** GET for probes and scrapes: the status and body text, or a rejection after `timeoutMs`. */
export function getUpstream(
  backend: string,
  http: HttpEndpoint,
  url: string,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { agent: http.agent, method: 'GET', headers: { ...http.headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.once('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') });
      });
      res.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new UpstreamConnectionError(backend, describeNetError(error), UNREACHABLE.has(error.code ?? '')),
      );
    });
    req.end();
  });
}

/** Reads a whole response body, refusing past `limit` bytes. */
export function readUpstreamBody(res: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    res.on('data', (part: Buffer) => {
      size += part.length;
      if (size > limit) {
        res.destroy(new Error(`response larger than ${limit} bytes`));
        return;
      }
      parts.push(part);
    });
    res.once('end', () => resolve(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size)));
    res.once('error', reject);
    res.once('aborted', () => reject(new Error('connection closed before the response ended')));
    res.once('close', () => {
      if (!res.complete) reject(new Error('connection closed before the response ended'));
    });
  });
}

function describeNetError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EPIPE':
      return 'connection closed while sending';
    default:
      return error.message;
  }
}
