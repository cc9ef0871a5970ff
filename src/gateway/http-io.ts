import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, type GatewayRequestError, InvalidRequestError } from './errors.js';

/**
 * Reads the whole request body. An oversized body is still read to its end
 * (and dropped) so the client gets a clean 413 instead of a reset connection
 * while it is still sending.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const parts: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) parts.push(part);
    });
    req.once('end', () => {
      if (tooLarge) reject(new BodyTooLargeError(limit));
      else resolve(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size));
    });
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client hung up while sending the body'));
    });
  });
}

/** JSON.parse with the error a client can act on. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new InvalidRequestError('The request has no body; send a JSON object.');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new InvalidRequestError(
      `We could not parse the JSON body of your request: ${(error as Error).message}. Send valid JSON with content-type application/json.`,
    );
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** OpenAI's error envelope for a body. */
function errorBody(error: GatewayRequestError): object {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

export function sendError(
  res: ServerResponse,
  error: GatewayRequestError,
  headers: Record<string, string> = {},
): void {
  const retry: Record<string, string> =
    error.retryAfterSeconds === undefined
      ? {}
      : { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) };
  sendJson(res, error.status, errorBody(error), { ...headers, ...retry });
}
