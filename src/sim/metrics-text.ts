import type { Histogram } from './histogram.js';
import { FINISH_LABELS, type HistogramKind, type ModelMetrics } from './sim-metrics.js';

/**
 * `v1` uses the names of current vLLM (V1 engine, with its `engine` label);
 * `v0` the names of older releases (`gpu_cache_usage_perc`,
 * `gpu_prefix_cache_*`), so a scraper can be tested against both.
 */
export type MetricsStyle = 'v1' | 'v0';

type Series = [suffix: string, labels: Record<string, string>, value: number][];

interface Family {
  name: string;
  type: 'gauge' | 'counter' | 'histogram';
  help: string;
  samples: (m: ModelMetrics) => Series;
}

const one = (value: (m: ModelMetrics) => number) => (m: ModelMetrics) => [['', {}, value(m)]] as Series;

/*
 * vLLM's request histograms, with the names, help texts and bucket bounds
 * of each generation (as in ../shared/fixtures/vllm-metrics). V0 had five of
 * them; V1 added the per-phase ones and renamed time per output token.
 */
const TTFT_V1 = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640,
  2560,
];
const REQUEST_LATENCY = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
];
const TOKEN_LATENCY = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80,
];
const TOKEN_COUNTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];

interface HistogramFamily {
  kind: HistogramKind;
  name: string;
  help: string;
  buckets: readonly number[];
}

function histogramFamilies(style: MetricsStyle): HistogramFamily[] {
  if (style === 'v0') {
    return [
      {
        kind: 'ttft',
        name: 'vllm:time_to_first_token_seconds',
        help: 'Histogram of time to first token in seconds.',
        buckets: TTFT_V1.slice(0, 16),
      },
      {
        kind: 'interToken',
        name: 'vllm:time_per_output_token_seconds',
        help: 'Histogram of time per output token in seconds.',
        buckets: TOKEN_LATENCY.slice(0, 13),
      },
      {
        kind: 'e2e',
        name: 'vllm:e2e_request_latency_seconds',
        help: 'Histogram of end to end request latency in seconds.',
        buckets: [1, 2.5, 5, 10, 15, 20, 30, 40, 50, 60],
      },
      {
        kind: 'promptTokens',
        name: 'vllm:request_prompt_tokens',
        help: 'Number of prefill tokens processed.',
        buckets: TOKEN_COUNTS,
      },
      {
        kind: 'generationTokens',
        name: 'vllm:request_generation_tokens',
        help: 'Number of generation tokens processed.',
        buckets: TOKEN_COUNTS,
      },
    ];
  }
  return [
    {
      kind: 'promptTokens',
      name: 'vllm:request_prompt_tokens',
      help: 'Number of prefill tokens processed.',
      buckets: TOKEN_COUNTS,
    },
    {
      kind: 'generationTokens',
      name: 'vllm:request_generation_tokens',
      help: 'Number of generation tokens processed.',
      buckets: TOKEN_COUNTS,
    },
    {
      kind: 'ttft',
      name: 'vllm:time_to_first_token_seconds',
      help: 'Histogram of time to first token in seconds.',
      buckets: TTFT_V1,
    },
    {
      kind: 'interToken',
      name: 'vllm:inter_token_latency_seconds',
      help: 'Histogram of inter-token latency in seconds.',
      buckets: TOKEN_LATENCY,
    },
    {
      kind: 'perOutputToken',
      name: 'vllm:request_time_per_output_token_seconds',
      help: 'Histogram of time_per_output_token_seconds per request.',
      buckets: TOKEN_LATENCY,
    },
    {
      kind: 'e2e',
      name: 'vllm:e2e_request_latency_seconds',
      help: 'Histogram of e2e request latency in seconds.',
      buckets: REQUEST_LATENCY,
    },
    {
      kind: 'queue',
      name: 'vllm:request_queue_time_seconds',
      help: 'Histogram of time spent in WAITING phase for request.',
      buckets: REQUEST_LATENCY,
    },
    {
      kind: 'inference',
      name: 'vllm:request_inference_time_seconds',
      help: 'Histogram of time spent in RUNNING phase for request.',
      buckets: REQUEST_LATENCY,
    },
    {
      kind: 'prefill',
      name: 'vllm:request_prefill_time_seconds',
      help: 'Histogram of time spent in PREFILL phase for request.',
      buckets: REQUEST_LATENCY,
    },
    {
      kind: 'decode',
      name: 'vllm:request_decode_time_seconds',
      help: 'Histogram of time spent in DECODE phase for request.',
      buckets: REQUEST_LATENCY,
    },
    {
      kind: 'prefillComputed',
      name: 'vllm:request_prefill_kv_computed_tokens',
      help: 'Histogram of new KV tokens computed during prefill (excluding cached tokens).',
      buckets: TOKEN_COUNTS,
    },
  ];
}

/** Bucket bounds per histogram kind for a style; kinds the style does not expose still get V1's. */
export function histogramBuckets(style: MetricsStyle): Record<HistogramKind, readonly number[]> {
  const buckets = Object.fromEntries(histogramFamilies('v1').map((f) => [f.kind, f.buckets]));
  for (const f of histogramFamilies(style)) buckets[f.kind] = f.buckets;
  return buckets as Record<HistogramKind, readonly number[]>;
}

function histogramSeries(h: Histogram): Series {
  const series: Series = h.bounds.map((le, i) => ['_bucket', { le: formatValue(le) }, h.counts[i] as number]);
  series.push(['_bucket', { le: '+Inf' }, h.count], ['_count', {}, h.count], ['_sum', {}, h.sum]);
  return series;
}

function families(style: MetricsStyle): Family[] {
  const v0 = style === 'v0';
  return [
    {
      name: 'vllm:num_requests_running',
      type: 'gauge',
      help: v0
        ? 'Number of requests currently running on GPU.'
        : 'Number of requests in model execution batches.',
      samples: one((m) => m.running),
    },
    {
      name: 'vllm:num_requests_waiting',
      type: 'gauge',
      help: 'Number of requests waiting to be processed.',
      samples: one((m) => m.waiting),
    },
    {
      name: v0 ? 'vllm:gpu_cache_usage_perc' : 'vllm:kv_cache_usage_perc',
      type: 'gauge',
      help: `${v0 ? 'GPU ' : ''}KV-cache usage. 1 means 100 percent usage.`,
      samples: one((m) => m.kvCacheUsage),
    },
    {
      name: v0 ? 'vllm:gpu_prefix_cache_queries_total' : 'vllm:prefix_cache_queries_total',
      type: 'counter',
      help: `${v0 ? 'GPU prefix' : 'Prefix'} cache queries, in terms of number of queried tokens.`,
      samples: one((m) => m.prefixQueries),
    },
    {
      name: v0 ? 'vllm:gpu_prefix_cache_hits_total' : 'vllm:prefix_cache_hits_total',
      type: 'counter',
      help: `${v0 ? 'GPU prefix' : 'Prefix'} cache hits, in terms of number of cached tokens.`,
      samples: one((m) => m.prefixHits),
    },
    {
      name: 'vllm:prompt_tokens_total',
      type: 'counter',
      help: 'Number of prefill tokens processed.',
      samples: one((m) => m.promptTokens),
    },
    {
      name: 'vllm:generation_tokens_total',
      type: 'counter',
      help: 'Number of generation tokens processed.',
      samples: one((m) => m.generationTokens),
    },
    {
      name: 'vllm:request_success_total',
      type: 'counter',
      help: 'Count of successfully processed requests.',
      samples: (m) => FINISH_LABELS.map((label) => ['', { finished_reason: label }, m.finished[label]]),
    },
    ...histogramFamilies(style).map(
      (f): Family => ({
        name: f.name,
        type: 'histogram',
        help: f.help,
        samples: (m) => histogramSeries(m.histograms[f.kind]),
      }),
    ),
  ];
}

export function renderMetrics(style: MetricsStyle, models: readonly ModelMetrics[]): string {
  const lines: string[] = [];
  for (const family of families(style)) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const m of models) {
      for (const [suffix, labels, value] of family.samples(m)) {
        const all = { ...(style === 'v1' ? { engine: '0' } : {}), ...labels, model_name: m.model };
        const text = Object.entries(all)
          .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
          .join(',');
        lines.push(`${family.name}${suffix}{${text}} ${formatValue(value)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Python's prometheus_client writes integers as `5.0`; so does vLLM, so we do too. */
function formatValue(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
