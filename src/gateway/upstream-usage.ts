import { z } from 'zod';
import type { TokenUsage } from './backend.js';

/** OpenAI's usage object; vLLM, llama.cpp and Ollama send the same shape. */
export const usageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative().default(0),
  completion_tokens: z.number().int().nonnegative().default(0),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().int().nonnegative().nullish() }).nullish(),
});

/**
 * One `data:` payload of a chat or completions stream, as far as the
 * gateway reads it. Only `usage` is checked with a schema, because money is
 * booked from it; the rest is relayed as the upstream wrote it, and only
 * looked at (tolerantly) to estimate usage when a stream breaks off.
 */
export interface StreamChunk {
  choices?: unknown;
  usage?: unknown;
  error?: unknown;
}

/** A non-streamed answer (chat, completions or embeddings), checked as far as the gateway reads it. */
export const responseBodySchema = z.looseObject({
  usage: usageSchema.nullish(),
});

export function toUsage(usage: z.output<typeof usageSchema>): TokenUsage {
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

/** Characters of generated text in a chunk: what a cut-off stream's usage is estimated from. */
export function generatedChars(chunk: StreamChunk): number {
  if (!Array.isArray(chunk.choices)) return 0;
  let chars = 0;
  for (const choice of chunk.choices as { text?: unknown; delta?: Record<string, unknown> }[]) {
    if (typeof choice !== 'object' || choice === null) continue;
    chars += lengthOf(choice.text);
    const delta = choice.delta;
    if (typeof delta !== 'object' || delta === null) continue;
    chars += lengthOf(delta.content) + lengthOf(delta.reasoning_content);
    if (!Array.isArray(delta.tool_calls)) continue;
    for (const call of delta.tool_calls as { function?: { arguments?: unknown } }[]) {
      chars += lengthOf(call?.function?.arguments);
    }
  }
  return chars;
}

function lengthOf(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}
