import { z } from 'zod';
import { InvalidRequestError } from './errors.js';

export type Endpoint = 'chat' | 'completions' | 'embeddings';

export const ENDPOINT_PATHS: Record<Endpoint, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
};

/*
 * Only the fields the gateway reads are checked; every other field (tools,
 * temperature, response_format, ...) goes upstream untouched. Objects are
 * loose so a client's newer parameters are never refused here.
 */
const tokenLimit = z.number().int().positive().nullable().optional();
const stream = z.boolean().nullable().optional();
const streamOptions = z
  .looseObject({ include_usage: z.boolean().nullable().optional() })
  .nullable()
  .optional();
const user = z.string().nullable().optional();

const chatSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.string().min(1), content: z.unknown().optional() })).min(1),
  tools: z.array(z.unknown()).nullable().optional(),
  stream,
  stream_options: streamOptions,
  max_tokens: tokenLimit,
  max_completion_tokens: tokenLimit,
  user,
});

const completionSchema = z.looseObject({
  model: z.string().min(1),
  prompt: z.union([z.string(), z.array(z.string()).min(1), z.array(z.number()).min(1)]),
  stream,
  stream_options: streamOptions,
  max_tokens: tokenLimit,
  user,
});

const embeddingSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.unknown()).min(1)]),
  user,
});

/** A validated client request, with what routing, budgets and relaying need. */
export interface InboundRequest {
  endpoint: Endpoint;
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  /** The client asked for the usage chunk itself (so it must not be stripped). */
  clientWantsUsage: boolean;
  /** max_tokens / max_completion_tokens as sent. */
  maxTokens: number | undefined;
  user: string | undefined;
  /** Size of the body; the prompt-token estimate leans high on it. */
  bytes: number;
  /** The prompt as one text, in the order a chat template lays it out; computed once, when needed. */
  promptText(): string;
}

export function parseInbound(endpoint: Endpoint, json: unknown, bytes: number): InboundRequest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidRequestError('The request body must be a JSON object.');
  }
  const schema =
    endpoint === 'chat' ? chatSchema : endpoint === 'completions' ? completionSchema : embeddingSchema;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      param: paramOf(issue.path),
      message: issue.message,
    }));
    throw new InvalidRequestError(
      `Invalid request body: ${issues.map((i) => (i.param ? `${i.param}: ${i.message}` : i.message)).join('; ')}`,
      issues[0]?.param || null,
    );
  }
  const body = json as Record<string, unknown>;
  const data = parsed.data as z.output<typeof chatSchema> & z.output<typeof completionSchema>;
  let text: string | undefined;
  return {
    endpoint,
    body,
    model: data.model,
    stream: endpoint !== 'embeddings' && data.stream === true,
    clientWantsUsage: data.stream_options?.include_usage === true,
    maxTokens: data.max_completion_tokens ?? data.max_tokens ?? undefined,
    user: data.user ?? undefined,
    bytes,
    promptText: () => {
      text ??= promptTextOf(endpoint, body);
      return text;
    },
  };
}

/**
 * The prompt as a chat template would lay it out: tool definitions first,
 * then each message. Shared system prompts and a conversation's earlier
 * turns become a shared prefix, which is what cache-aware routing keys on.
 */
function promptTextOf(endpoint: Endpoint, body: Record<string, unknown>): string {
  if (endpoint === 'completions') {
    const prompt = body.prompt;
    return typeof prompt === 'string' ? prompt : JSON.stringify(prompt);
  }
  if (endpoint === 'embeddings') {
    const input = body.input;
    return typeof input === 'string' ? input : JSON.stringify(input);
  }
  const parts: string[] = [];
  if (Array.isArray(body.tools) && body.tools.length > 0) parts.push(`tools: ${JSON.stringify(body.tools)}`);
  for (const message of body.messages as { role: string; content?: unknown; tool_calls?: unknown }[]) {
    const calls = message.tool_calls === undefined ? '' : ` ${JSON.stringify(message.tool_calls)}`;
    parts.push(`${message.role}: ${contentText(message.content)}${calls}`);
  }
  return parts.join('\n');
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) =>
      typeof part === 'object' && part !== null && typeof part.text === 'string' ? part.text : '',
    )
    .join('\n');
}

/** `messages[0].content`, the way OpenAI names nested parameters. */
function paramOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}
