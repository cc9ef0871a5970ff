import type {
  LanguageModelV3CallOptions,
  LanguageModelV3FunctionTool,
  LanguageModelV3Prompt,
} from '@ai-sdk/provider';
import type { ModelCallResult } from './model-call.js';

/** A model call as a response cache sees it: everything that shapes the answer. */
export interface CacheableCall {
  /** The model refs tried, in order (a fallback chain is part of the request). */
  models: readonly string[];
  /** The whole conversation, not just its last message. */
  prompt: LanguageModelV3Prompt;
  tools?: readonly LanguageModelV3FunctionTool[];
  maxOutputTokens: number;
  temperature?: number;
  responseFormat?: LanguageModelV3CallOptions['responseFormat'];
  /** Answers are never shared across tenants. */
  tenant: string;
}

/**
 * What an answer was built from besides its prompt: the memory segments and
 * source versions its context came from. A change to any of them (a segment
 * merged away or deleted, a file re-ingested with new content) drops it.
 */
export interface CacheProvenance {
  segments?: readonly number[];
  /** Source versions as `path#contentHash`. */
  sources?: readonly string[];
}

/** Where an answer came from: a new upstream call, the cache, or another caller's identical call in flight. */
export type CacheSource = 'upstream' | 'exact' | 'near' | 'coalesced';

export interface CacheOutcome {
  result: ModelCallResult;
  source: CacheSource;
}

export interface CacheRunOptions {
  /** The caller's cancellation: it stops this caller's wait, never an upstream call others share. */
  signal: AbortSignal;
  provenance?: CacheProvenance;
  /**
   * Errors that belong to the caller who made the upstream call, not to the
   * call (its own budget or deadline ran out): callers coalesced onto it
   * start over instead of receiving them.
   */
  personal?: (error: unknown) => boolean;
}

/**
 * The model layer's response cache and de-duplication of identical calls in
 * flight. The model layer defines it; memory implements it (`ResponseCache`
 * in src/memory); the command that starts a run passes one in. An
 * implementation decides which calls it may serve: hot sampling
 * (temperature above its threshold) is neither served, stored nor
 * coalesced.
 */
export interface ResponseCache {
  /** A live stored answer for the call, without calling anything. */
  lookup(call: CacheableCall): CacheOutcome | undefined;
  /** Stores an answer with what it was built from. */
  store(call: CacheableCall, result: ModelCallResult, provenance?: CacheProvenance): void;
  /**
   * The whole path of one call: a stored answer, else the answer of an
   * identical call in flight (its result or its error), else `execute`,
   * whose answer is stored.
   */
  run(
    call: CacheableCall,
    options: CacheRunOptions,
    execute: () => Promise<ModelCallResult>,
  ): Promise<CacheOutcome>;
}
