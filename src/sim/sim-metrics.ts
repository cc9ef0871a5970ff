import type { ConcurrencyGate } from './concurrency-gate.js';
import { Histogram } from './histogram.js';
import { BLOCK_TOKENS, type PrefixCache } from './prefix-cache.js';
import type { TimingSummary } from './request-timing.js';

/** vLLM's `finished_reason` label values. */
export const FINISH_LABELS = ['stop', 'length', 'abort', 'error', 'repetition'] as const;
export type FinishLabel = (typeof FINISH_LABELS)[number];

/** The request histograms vLLM keeps, by what they measure; metrics-text.ts names and buckets them per style. */
export const HISTOGRAMS = [
  'ttft',
  'e2e',
  'queue',
  'prefill',
  'decode',
  'inference',
  'interToken',
  'perOutputToken',
  'promptTokens',
  'generationTokens',
  'prefillComputed',
] as const;
export type HistogramKind = (typeof HISTOGRAMS)[number];

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
  histograms: Record<HistogramKind, Histogram>;
}

/** An admitted request holds KV blocks until `finish` is called. */
export interface Admission {
  cachedTokens: number;
  finish(label: FinishLabel, generatedTokens: number, timing?: TimingSummary): void;
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
    private readonly buckets: Record<HistogramKind, readonly number[]>,
  ) {
    for (const model of models) this.counters.set(model, this.emptyCounters());
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
      finish: (label, generatedTokens, timing) => {
        if (!open) return;
        open = false;
        c.heldBlocks -= blocks;
        c.finished[label] += 1;
        c.generationTokens += generatedTokens;
        if (timing) this.observe(c, promptTokens, cachedTokens, generatedTokens, timing);
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

  private observe(
    c: Counters,
    promptTokens: number,
    cachedTokens: number,
    generatedTokens: number,
    t: TimingSummary,
  ): void {
    const h = c.histograms;
    h.queue.observe(t.queueS);
    h.prefill.observe(t.prefillS);
    h.decode.observe(t.decodeS);
    h.inference.observe(t.prefillS + t.decodeS);
    h.ttft.observe(t.ttftS);
    h.e2e.observe(t.e2eS);
    for (const [seconds, tokens] of t.tokenGaps) h.interToken.observe(seconds, Math.round(tokens) || 1);
    if (generatedTokens > 1) h.perOutputToken.observe(t.decodeS / (generatedTokens - 1));
    h.promptTokens.observe(promptTokens);
    h.generationTokens.observe(generatedTokens);
    h.prefillComputed.observe(promptTokens - cachedTokens);
  }

  private of(model: string): Counters {
    let c = this.counters.get(model);
    if (!c) {
      c = this.emptyCounters();
      this.counters.set(model, c);
    }
    return c;
  }

  private emptyCounters(): Counters {
    const histograms = Object.fromEntries(
      HISTOGRAMS.map((kind) => [kind, new Histogram(this.buckets[kind])]),
    ) as Record<HistogramKind, Histogram>;
    return {
      prefixQueries: 0,
      prefixHits: 0,
      promptTokens: 0,
      generationTokens: 0,
      heldBlocks: 0,
      finished: { stop: 0, length: 0, abort: 0, error: 0, repetition: 0 },
      histograms,
    };
  }
}
