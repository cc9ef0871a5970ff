import { randomBytes } from 'node:crypto';
import type { RequestFeatures } from './rule-book.js';
import { fillTemplate, type Reply, type Timing } from './scenario.js';
import { CHARS_PER_TOKEN, estimateTokens } from './tokens.js';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface PlannedToolCall {
  id: string;
  name: string;
  /** Exactly the text sent on the wire, malformed or not. */
  arguments: string;
}

/** A scenario reply made concrete for one request: text filled in, ids drawn, limits applied. */
export interface ReplyPlan extends Timing {
  content: string;
  toolCalls: PlannedToolCall[];
  finishReason: FinishReason;
  /** Set when the scenario fixes the usage numbers instead of letting them be estimated. */
  promptTokens: number | undefined;
  completionTokens: number;
}

export interface PlanContext {
  features: RequestFeatures;
  /** `max_tokens` / `max_completion_tokens` from the request. */
  maxTokens: number | undefined;
  /** Legacy completions have no tool calls. */
  toolsAllowed: boolean;
}

export function planReply(reply: Reply, defaults: Timing, context: PlanContext): ReplyPlan {
  const { features } = context;
  let content = fillTemplate(reply.content ?? '', {
    lastUser: features.lastUser,
    lastToolResult: features.lastToolResult ?? '',
    model: features.model,
  });
  const toolCalls = context.toolsAllowed
    ? (reply.toolCalls ?? []).map((call) => ({
        id: call.id ?? `call_${randomBytes(12).toString('hex')}`,
        name: call.name,
        arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
      }))
    : [];
  let finishReason: FinishReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  // Real servers stop at the client's token limit; scripted text obeys it too.
  if (
    context.maxTokens !== undefined &&
    toolCalls.length === 0 &&
    estimateTokens(content) > context.maxTokens
  ) {
    content = Array.from(content)
      .slice(0, context.maxTokens * CHARS_PER_TOKEN)
      .join('');
    finishReason = 'length';
  }
  const generated = content + toolCalls.map((call) => call.name + call.arguments).join('');
  return {
    content,
    toolCalls,
    finishReason,
    promptTokens: reply.usage?.promptTokens,
    completionTokens: reply.usage?.completionTokens ?? estimateTokens(generated),
    latencyMs: reply.latencyMs ?? defaults.latencyMs,
    chunkDelayMs: reply.chunkDelayMs ?? defaults.chunkDelayMs,
    chunkSize: reply.chunkSize ?? defaults.chunkSize,
  };
}

/** Splits text into pieces of `size` characters without cutting a surrogate pair in two. */
export function splitPieces(text: string, size: number): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}
