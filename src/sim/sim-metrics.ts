import type { ConcurrencyGate } from './concurrency-gate.js';
import { BLOCK_TOKENS, type PrefixCache } from './prefix-cache.js';

/** vLLM's `finished_reason` label values. */
export const FINISH_LABELS = ['stop', 'length', 'abort', 'error', 'repetition'] as const;
export type FinishLabel = (typeof FINISH_LABELS)[number];

export interface ModelMetrics {
  model: string;
  running: number;
  waiting: number;
  /** Share of KV blocks held by running requests, 0..1. */
  kvCacheUsage: number;
  prefixQueries: number;
  prefixHits: number;
  promptTokens: number;
  generationTokens: number;
  finished: Record<FinishLabel, number>;
}

/** An admitted request holds KV blocks until `finish` is called. */
export interface Admission {
  cachedTokens: number;
  finish(label: FinishLabel, generatedTokens: number): void;
}

type Counters = Omit<ModelMetrics, 'model' | 'running' | 'waiting' | 'kvCacheUsage'> & { heldBlocks: number };

/**
 * The numbers behind /metrics, per model. Usage counts only blocks held by
 * running requests (cached but idle blocks are reusable, as in vLLM V1), so
 * an idle server reports 0 while its prefix cache stays warm.
 */
export class SimMetrics {
  private readonly counters = new Map<string, Counters>();

  constructor(
    private readonly models: readonly string[],
    private readonly cache: PrefixCache,
    private readonly gate: ConcurrencyGate,
  ) {
    for (const model of models) this.counters.set(model, emptyCounters());
  }

  admit(model: string, prompt: string, promptTokens: number, completionTokens: number): Admission {
    const c = this.of(model);
    const cachedTokens = Math.min(promptTokens, this.cache.lookup(model, prompt) * BLOCK_TOKENS);
    c.promptTokens += promptTokens;
    c.prefixQueries += promptTokens;
    c.prefixHits += cachedTokens;
    const blocks = Math.ceil((promptTokens + completionTokens) / BLOCK_TOKENS);
    c.heldBlocks += blocks;
    let open = true;
    return {
      cachedTokens,
      finish: (label, generatedTokens) => {
        if (!open) return;
        open = false;
        c.heldBlocks -= blocks;
        c.finished[label] += 1;
        c.generationTokens += generatedTokens;
      },
    };
  }

  snapshot(): ModelMetrics[] {
    return this.models.map((model) => {
      const { heldBlocks, finished, ...c } = this.of(model);
      return {
        model,
        running: this.gate.running(model),
        waiting: this.gate.waiting(model),
        kvCacheUsage: Math.min(1, heldBlocks / this.cache.capacity),
        ...c,
        finished: { ...finished },
      };
    });
  }

  private of(model: string): Counters {
    let c = this.counters.get(model);
    if (!c) {
      c = emptyCounters();
      this.counters.set(model, c);
    }
    return c;
  }
}

function emptyCounters(): Counters {
  return {
    prefixQueries: 0,
    prefixHits: 0,
    promptTokens: 0,
    generationTokens: 0,
    heldBlocks: 0,
    finished: { stop: 0, length: 0, abort: 0, error: 0, repetition: 0 },
  };
}
