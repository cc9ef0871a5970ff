import { FINISH_LABELS, type ModelMetrics } from './sim-metrics.js';

/**
 * `v1` uses the names of current vLLM (V1 engine, with its `engine` label);
 * `v0` the names of older releases (`gpu_cache_usage_perc`,
 * `gpu_prefix_cache_*`), so a scraper can be tested against both.
 */
export type MetricsStyle = 'v1' | 'v0';

interface Family {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  samples: (m: ModelMetrics) => [labels: Record<string, string>, value: number][];
}

const one = (value: (m: ModelMetrics) => number) => (m: ModelMetrics) =>
  [[{}, value(m)]] as [Record<string, string>, number][];

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
      samples: (m) => FINISH_LABELS.map((label) => [{ finished_reason: label }, m.finished[label]]),
    },
  ];
}

export function renderMetrics(style: MetricsStyle, models: readonly ModelMetrics[]): string {
  const lines: string[] = [];
  for (const family of families(style)) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const m of models) {
      for (const [labels, value] of family.samples(m)) {
        const all = { ...(style === 'v1' ? { engine: '0' } : {}), ...labels, model_name: m.model };
        const text = Object.entries(all)
          .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
          .join(',');
        lines.push(`${family.name}{${text}} ${formatValue(value)}`);
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
