import { parseSamples, type Sample } from '../observe/index.js';
import type { BackendType } from './config.js';

/** What one scrape says about a server's load. */
export interface LoadReading {
  /** Requests in the batch (vLLM running, llama.cpp processing). */
  running: number;
  /** Requests queued inside the server (vLLM waiting, llama.cpp deferred). */
  waiting: number;
  /** KV-cache usage, 0..1, when the server reports it. */
  kvUsage: number | undefined;
  /** Cumulative prefix-cache counters in tokens, when reported. */
  prefixHits: number | undefined;
  prefixQueries: number | undefined;
  /** A hit rate reported directly (vLLM V0's gauge), when that is all there is. */
  prefixHitRate: number | undefined;
}

/*
 * Each signal lists its names newest first: vLLM renamed several between
 * V0 and V1 (production-stack #617 broke on exactly this), and a server in
 * transition may expose both, so the current name wins when present.
 */
const VLLM = {
  running: ['vllm:num_requests_running'],
  waiting: ['vllm:num_requests_waiting'],
  kvUsage: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
  prefixHits: [
    'vllm:prefix_cache_hits_total',
    'vllm:gpu_prefix_cache_hits_total',
    'vllm:gpu_prefix_cache_hits',
  ],
  prefixQueries: [
    'vllm:prefix_cache_queries_total',
    'vllm:gpu_prefix_cache_queries_total',
    'vllm:gpu_prefix_cache_queries',
  ],
  prefixHitRate: ['vllm:gpu_prefix_cache_hit_rate'],
};

const LLAMACPP = {
  running: ['llamacpp:requests_processing'],
  waiting: ['llamacpp:requests_deferred'],
  kvUsage: ['llamacpp:kv_cache_usage_ratio'],
  prefixHits: [] as string[],
  prefixQueries: [] as string[],
  prefixHitRate: [] as string[],
};

const NAMES = { vllm: VLLM, llamacpp: LLAMACPP };
const WANTED = {
  vllm: new Set(Object.values(VLLM).flat()),
  llamacpp: new Set(Object.values(LLAMACPP).flat()),
};

export function scrapes(type: BackendType): type is 'vllm' | 'llamacpp' {
  return type === 'vllm' || type === 'llamacpp';
}

/**
 * Reads a `/metrics` body. Gauges and counters are summed over every label
 * set (a server with several engines or LoRA adapters reports one series
 * each); usage takes the fullest engine. Undefined when none of the load
 * figures is there: a server that was never told `--metrics`, or not vLLM.
 */
export function readLoadSignals(type: 'vllm' | 'llamacpp', text: string): LoadReading | undefined {
  const wanted = WANTED[type];
  const byName = new Map<string, Sample[]>();
  for (const sample of parseSamples(text, (name) => wanted.has(name))) {
    const list = byName.get(sample.name);
    if (list) list.push(sample);
    else byName.set(sample.name, [sample]);
  }
  const names = NAMES[type];
  const pick = (candidates: readonly string[]) => {
    for (const name of candidates) {
      const found = byName.get(name);
      if (found && found.length > 0) return found.filter((s) => Number.isFinite(s.value)).map((s) => s.value);
    }
    return undefined;
  };
  const sum = (values: number[] | undefined) => values?.reduce((a, b) => a + b, 0);
  const running = sum(pick(names.running));
  const waiting = sum(pick(names.waiting));
  if (running === undefined && waiting === undefined) return undefined;
  const kv = pick(names.kvUsage);
  const rate = pick(names.prefixHitRate);
  return {
    running: running ?? 0,
    waiting: waiting ?? 0,
    kvUsage: kv && kv.length > 0 ? Math.min(1, Math.max(0, ...kv)) : undefined,
    prefixHits: sum(pick(names.prefixHits)),
    prefixQueries: sum(pick(names.prefixQueries)),
    prefixHitRate: rate && rate.length > 0 ? Math.max(...rate) : undefined,
  };
}
