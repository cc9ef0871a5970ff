import { z } from 'zod';
import type { RequestFeatures } from './rule-book.js';

/*
 * Request bodies as OpenAI-compatible clients send them. Objects are loose:
 * real clients send many parameters (temperature, seed, tool_choice,
 * response_format, ...) that a scripted server accepts and ignores; only the
 * fields the simulator reads are checked.
 */

const contentSchema = z
  .union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() })), z.null()])
  .optional();

const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: contentSchema,
});

const toolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().min(1) }),
});

const tokenLimit = z.number().int().positive().nullable().optional();
const stream = z.boolean().nullable().optional();
const streamOptions = z
  .looseObject({ include_usage: z.boolean().nullable().optional() })
  .nullable()
  .optional();
const singleChoice = z
  .literal(1, { error: 'the simulator returns one choice per request; leave n out or set it to 1' })
  .nullable()
  .optional();

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  tools: z.array(toolSchema).nullable().optional(),
  stream,
  stream_options: streamOptions,
  max_tokens: tokenLimit,
  max_completion_tokens: tokenLimit,
  n: singleChoice,
});
export type ChatRequest = z.output<typeof chatRequestSchema>;

export const completionRequestSchema = z.looseObject({
  model: z.string().min(1),
  prompt: z.union([
    z.string(),
    z
      .array(z.string())
      .length(1, { error: 'the simulator answers one prompt per request; send prompt as a single string' }),
  ]),
  stream,
  stream_options: streamOptions,
  max_tokens: tokenLimit,
  n: singleChoice,
});
export type CompletionRequest = z.output<typeof completionRequestSchema>;

export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  dimensions: z.number().int().min(1).max(8192).optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
});

type Content = z.output<typeof contentSchema>;

/** The text of a message: a string, or its text parts joined. */
function textOf(content: Content): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content.flatMap((part) => (part.text === undefined ? [] : [part.text])).join('\n');
}

export function chatFeatures(request: ChatRequest): RequestFeatures {
  const { messages } = request;
  const last = messages.at(-1);
  return {
    model: request.model,
    system: messages
      .filter((m) => m.role === 'system' || m.role === 'developer')
      .map((m) => textOf(m.content))
      .join('\n'),
    lastUser: textOf(messages.findLast((m) => m.role === 'user')?.content),
    lastToolResult: last?.role === 'tool' ? textOf(last.content) : undefined,
    toolNames: (request.tools ?? []).map((tool) => tool.function.name),
  };
}

/**
 * The prompt as one text, roughly what a chat template produces: tool
 * definitions first (templates put them in the system prompt), then each
 * message. Token estimates and prefix-cache blocks are computed from it, so
 * an agent's growing conversation shares its prefix between calls.
 */
export function chatPromptText(request: ChatRequest): string {
  const lines = request.tools?.length ? [`tools: ${JSON.stringify(request.tools)}`] : [];
  for (const message of request.messages) {
    const calls = message.tool_calls === undefined ? '' : ` ${JSON.stringify(message.tool_calls)}`;
    lines.push(`${message.role}: ${textOf(message.content)}${calls}`);
  }
  return lines.join('\n');
}

export function completionFeatures(request: CompletionRequest): RequestFeatures {
  return {
    model: request.model,
    system: '',
    lastUser: promptOf(request),
    lastToolResult: undefined,
    toolNames: [],
  };
}

export function promptOf(request: CompletionRequest): string {
  return typeof request.prompt === 'string' ? request.prompt : (request.prompt[0] ?? '');
}
