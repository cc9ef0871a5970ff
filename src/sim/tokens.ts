/** No tokenizer ships with the simulator; ~4 characters per token is the usual rule of thumb for English. */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the simulated prefix cache. */
  cachedTokens: number;
}

/** OpenAI's `usage` object, with the cached-token detail that OpenAI, DeepSeek and xAI all send. */
export function usageObject(usage: Usage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens },
  };
}
