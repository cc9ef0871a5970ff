/** Tokens a model call used, as the provider reported them (or estimated where it did not). */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

export interface ToolCallRequest {
  id: string;
  name: string;
  /** Raw JSON text as the model produced it; may be malformed. */
  input: string;
}

export interface ModelCallResult {
  model: string;
  text: string;
  toolCalls: ToolCallRequest[];
  finishReason: string;
  usage: Usage;
  costUsd: number;
  /** Set when no upstream call was made for this caller: a stored answer, or another caller's identical call. */
  cache?: 'exact' | 'near' | 'coalesced';
}
