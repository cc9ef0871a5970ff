import { z } from 'zod';
import type { RequestFeatures } from './rule-book.js';

/*
 * Anthropic Messages API request bodies (`POST /v1/messages`), as far as the
 * simulator reads them. Loose objects: clients send cache_control, metadata,
 * thinking and other fields a scripted server accepts and ignores.
 */

const blockSchema = z.looseObject({
  type: z.string().min(1),
  text: z.string().optional(),
  /** tool_result: a string or text blocks. */
  content: z
    .union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))])
    .optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
});

const contentSchema = z.union([z.string(), z.array(blockSchema)]);

export const messagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  /** Required by the real API; the simulator enforces it so clients that forget it fail here as there. */
  max_tokens: z.number().int().positive(),
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: contentSchema })).min(1),
  system: z.union([z.string(), z.array(blockSchema)]).optional(),
  tools: z.array(z.looseObject({ name: z.string().min(1), input_schema: z.unknown().optional() })).optional(),
  stream: z.boolean().optional(),
});
export type MessagesRequest = z.output<typeof messagesRequestSchema>;

type Content = z.output<typeof contentSchema>;

/** Text of a content value: text blocks (and tool results' text) joined. */
function textOf(content: Content | undefined, kinds: readonly string[] = ['text']): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  const parts: string[] = [];
  for (const block of content) {
    if (!kinds.includes(block.type)) continue;
    if (block.text !== undefined) parts.push(block.text);
    else if (typeof block.content === 'string') parts.push(block.content);
    else if (Array.isArray(block.content)) for (const inner of block.content) parts.push(inner.text ?? '');
  }
  return parts.join('\n');
}

const hasText = (content: Content) =>
  typeof content === 'string' || content.some((block) => block.type === 'text');

export function messagesFeatures(request: MessagesRequest): RequestFeatures {
  const last = request.messages.at(-1);
  const toolResult =
    last?.role === 'user' &&
    typeof last.content !== 'string' &&
    last.content.some((b) => b.type === 'tool_result')
      ? textOf(last.content, ['tool_result'])
      : undefined;
  return {
    model: request.model,
    system: typeof request.system === 'string' ? request.system : textOf(request.system),
    // Tool results travel in user turns; the user's own words are the last turn with text.
    lastUser: textOf(request.messages.findLast((m) => m.role === 'user' && hasText(m.content))?.content),
    lastToolResult: toolResult,
    toolNames: (request.tools ?? []).map((tool) => tool.name),
  };
}

/** The prompt as one text (tools, system, then turns), for token estimates and prefix-cache blocks. */
export function messagesPromptText(request: MessagesRequest): string {
  const lines = request.tools?.length ? [`tools: ${JSON.stringify(request.tools)}`] : [];
  if (request.system !== undefined)
    lines.push(`system: ${typeof request.system === 'string' ? request.system : textOf(request.system)}`);
  for (const message of request.messages) {
    const text = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
    lines.push(`${message.role}: ${text}`);
  }
  return lines.join('\n');
}
