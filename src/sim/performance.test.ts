import { afterEach, describe, expect, it } from 'vitest';
import { fixtureText, parsePrometheus, postJson, sampleValue } from '../../test/support/wire-kit.js';
import type { MetricsStyle } from './metrics-text.js';
import { decodeMsPerToken, prefillMs } from './performance.js';
import { type SimServer, startSim } from './server.js';

/*
 * The performance model: prefill time per uncached token (so prefix-cache
 * hits shorten it), decode steps that slow down as the batch grows, a queue
 * behind maxConcurrency, and vLLM's request histograms on /metrics.
 */

const open: SimServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function sim(scenario: Record<string, unknown>, metricsStyle: MetricsStyle = 'v1'): Promise<SimServer> {
  const server = await startSim({ scenario: { models: ['m'], ...scenario }, metricsStyle });
  open.push(server);
  return server;
}

async function timed(server: SimServer, content: string, extra: Record<string, unknown> = {}) {
  const started = performance.now();
  const res = await postJson(`${server.baseURL}/chat/completions`, {
    model: 'm',
    messages: [{ role: 'user', content }],
    ...extra,
  });
  const text = await res.text();
  return { ms: performance.now() - started, text };
}

/** The usage of a non-streamed answer. */
function usageOf(text: string): { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } } {
  return (JSON.parse(text) as { usage: ReturnType<typeof usageOf> }).usage;
}

const metrics = async (server: SimServer) =>
  parsePrometheus(await (await fetch(`${server.url}/metrics`)).text());

describe('sim performance model', () => {
  it('spends prefill time on uncached prompt tokens only, so a cached prefix answers sooner', async () => {
    const profile = { prefillMsPerToken: 0.4, decodeMsPerToken: 0, decodeMsPerRunning: 0 };
    const server = await sim({ performance: profile, rules: [{ reply: { content: 'ok' } }] });
    const prompt = 'A long shared context that the server will cache. '.repeat(40);
    const cold = await timed(server, `${prompt} first`);
    const warm = await timed(server, `${prompt} second`);
    const coldUsage = usageOf(cold.text);
    const warmUsage = usageOf(warm.text);
    expect(coldUsage.prompt_tokens_details.cached_tokens).toBe(0);
    expect(warmUsage.prompt_tokens_details.cached_tokens).toBeGreaterThan(warmUsage.prompt_tokens * 0.8);
    expect(cold.ms).toBeGreaterThanOrEqual(prefillMs(profile, coldUsage.prompt_tokens) * 0.95);
    const uncached = warmUsage.prompt_tokens - warmUsage.prompt_tokens_details.cached_tokens;
    expect(warm.ms).toBeLessThan(cold.ms / 2);
    expect(warm.ms).toBeGreaterThanOrEqual(prefillMs(profile, uncached) * 0.95);
  });

  it('prefills one prompt at a time, so concurrent cold prompts queue for the prefill', async () => {
    const profile = { prefillMsPerToken: 0.5, decodeMsPerToken: 0, decodeMsPerRunning: 0 };
    const server = await sim({ performance: profile, rules: [{ reply: { content: 'ok' } }] });
    const [a, b] = await Promise.all(
      ['first', 'second'].map((tag) => timed(server, `${tag} ${'q'.repeat(1600)}`)),
    );
    const one = prefillMs(profile, usageOf(a?.text ?? '').prompt_tokens);
    expect(Math.max(a?.ms ?? 0, b?.ms ?? 0)).toBeGreaterThanOrEqual(2 * one * 0.95);
  });

  it('slows each decode step as more requests share the batch', async () => {
    const profile = { prefillMsPerToken: 0, decodeMsPerToken: 2, decodeMsPerRunning: 6 };
    const content = 'x'.repeat(200);
    const server = await sim({ performance: profile, rules: [{ reply: { content, chunkSize: 20 } }] });
    const alone = await timed(server, 'alone', { stream: true });
    const together = await Promise.all(
      [1, 2, 3, 4].map((i) => timed(server, `together ${i}`, { stream: true })),
    );
    const slowest = Math.max(...together.map((t) => t.ms));
    // 50 tokens: about 100 ms alone, up to 50 × (2 + 6 × 3) = 1 s with four in the batch.
    expect(alone.ms).toBeGreaterThanOrEqual(50 * decodeMsPerToken(profile, 1) * 0.9);
    expect(slowest).toBeGreaterThanOrEqual(50 * decodeMsPerToken(profile, 3) * 0.9);
    expect(slowest).toBeGreaterThan(alone.ms * 2);
  });

  it('queues behind maxConcurrency and reports every phase in vLLM histograms', async () => {
    const server = await sim({
      maxConcurrency: 1,
      performance: { prefillMsPerToken: 0.2, decodeMsPerToken: 1, decodeMsPerRunning: 0 },
      rules: [{ reply: { content: 'y'.repeat(80), chunkSize: 8 } }],
    });
    await Promise.all(
      [1, 2, 3].map((i) => timed(server, `request ${i} ${'z'.repeat(400)}`, { stream: true })),
    );
    const prom = await metrics(server);
    const value = (name: string) => sampleValue(prom, name, { model_name: 'm' }) ?? Number.NaN;
    for (const name of [
      'time_to_first_token',
      'e2e_request_latency',
      'request_queue_time',
      'request_prefill_time',
      'request_decode_time',
    ]) {
      expect(value(`vllm:${name}_seconds_count`), name).toBe(3);
    }
    // Two of three waited for the only slot.
    expect(value('vllm:request_queue_time_seconds_sum')).toBeGreaterThan(0.05);
    expect(value('vllm:e2e_request_latency_seconds_sum')).toBeGreaterThan(
      value('vllm:time_to_first_token_seconds_sum'),
    );
    expect(value('vllm:inter_token_latency_seconds_count')).toBeGreaterThan(0);
    expect(value('vllm:request_generation_tokens_sum')).toBe(3 * 20);
  });

  for (const [style, file] of [
    ['v1', 'vllm-v1-0.29-kv-cache-usage.txt'],
    ['v0', 'vllm-v0-2024-gpu-cache-usage.txt'],
  ] as const) {
    it(`renders the request histograms of a real ${style} scrape: names, help, buckets and labels`, async () => {
      const server = await sim({ rules: [{ reply: { content: 'hello' } }] }, style);
      await timed(server, 'hi');
      const ours = await metrics(server);
      const real = parsePrometheus(fixtureText(`vllm-metrics/${file}`));
      const histograms = [...ours.types].filter(([, type]) => type === 'histogram').map(([name]) => name);
      expect(histograms.length).toBeGreaterThanOrEqual(5);
      for (const name of histograms) {
        expect(real.types.get(name), name).toBe('histogram');
        expect(ours.helps.get(name), name).toBe(real.helps.get(name));
        const les = (prom: typeof ours) =>
          prom.samples
            .filter((s) => s.name === `${name}_bucket`)
            .map((s) => Object.keys(s.labels).join(',') + s.labels.le);
        expect(les(ours), name).toEqual(les(real).slice(0, les(ours).length));
        expect(les(ours).length, name).toBe(les(real).length);
      }
      // Every request histogram of the real scrape is there, but those of engine steps and sampling parameters.
      const NOT_SIMULATED = /iteration_tokens|request_params_|request_max_num_generation_tokens/;
      for (const [name, type] of real.types) {
        if (type === 'histogram' && name.startsWith('vllm:') && !NOT_SIMULATED.test(name)) {
          expect(ours.types.get(name), name).toBe('histogram');
        }
      }
    });
  }
});
