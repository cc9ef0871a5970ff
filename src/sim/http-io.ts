import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

// Far above any real prompt, low enough that a runaway client cannot exhaust memory.
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export type BodyRead = { ok: true; text: string } | { ok: false; status: number; message: string };

export async function readBody(req: IncomingMessage): Promise<BodyRead> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size <= MAX_BODY_BYTES) parts.push(part);
  }
  if (size > MAX_BODY_BYTES) {
    return { ok: false, status: 413, message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` };
  }
  return { ok: true, text: Buffer.concat(parts).toString('utf8') };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export interface OpenAiErrorFields {
  type?: string;
  param?: string | null;
  code?: string | null;
}

/** OpenAI's error envelope, which every OpenAI client knows how to surface. */
export function sendOpenAiError(
  res: ServerResponse,
  status: number,
  message: string,
  fields: OpenAiErrorFields = {},
  headers: Record<string, string> = {},
) {
  const error = {
    message,
    type: fields.type ?? 'invalid_request_error',
    param: fields.param ?? null,
    code: fields.code ?? null,
  };
  sendJson(res, status, { error }, headers);
}

/** A 400 naming every field that failed validation, with the first one as `param`. */
export function sendInvalidBody(res: ServerResponse, error: z.ZodError) {
  const described = error.issues.map((issue) => ({ param: paramOf(issue.path), message: issue.message }));
  const message = described.map((d) => (d.param ? `${d.param}: ${d.message}` : d.message)).join('; ');
  sendOpenAiError(res, 400, `Invalid request body: ${message}`, { param: described[0]?.param || null });
}

export function sendModelNotFound(res: ServerResponse, model: string, available: readonly string[]) {
  sendOpenAiError(
    res,
    404,
    `The model \`${model}\` does not exist. This simulator serves: ${available.join(', ')}.`,
    { param: 'model', code: 'model_not_found' },
  );
}

/** `messages[0].content`, the way OpenAI names nested parameters. */
function paramOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}
