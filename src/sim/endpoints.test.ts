import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureChunks,
  fixtureText,
  parsePrometheus,
  postJson,
  readSse,
  sampleValue,
  shapeOf,
} from '../../test/support/wire-kit.js';
import { type SimServer, startSim } from './server.js';

// biome-ignore lint/suspicious/noExplicitAny: wire JSON is probed field by field; the assertions are the type check.
type Json = Record<string, any>;

let sim: SimServer;
beforeAll(async () => {
  sim = await startSim({
    scenario: {
      name: 'endpoints',
      models: ['sim-model', 'embed-model'],
      maxConcurrency: 2,
      defaults: { chunkSize: 3 },
      rules: [
        { match: { lastUser: '^slow' }, reply: { content: 'done', latencyMs: 600 } },
        { reply: { content: 'The answer to {{lastUser}}' } },
      ],
    },
  });
});
afterAll(() => sim.close());

const metrics = async (server = sim) => parsePrometheus(await (await fetch(`${server.url}/metrics`)).text());
const chatBody = (content: string) => ({ model: 'sim-model', messages: [{ role: 'user', content }] });

describe('GET /v1/models, /health and unknown routes', () => {
  it('lists the scenario models in OpenAI list shape', async () => {
    const body = (await (await fetch(`${sim.baseURL}/models`)).json()) as Json;
    expect(body.object).toBe('list');
    expect(body.data.map((m: Json) => m.id)).toEqual(['sim-model', 'embed-model']);
    expect(body.data[0]).toEqual({
      id: 'sim-model',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'swarm-sim',
    });
  });

  it('answers /health, 404 and 405 properly', async () => {
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
    const missing = await fetch(`${sim.baseURL}/nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Json).error.type).toBe('invalid_request_error');
    const wrong = await fetch(`${sim.baseURL}/chat/completions`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});

describe('POST /v1/embeddings', () => {
  const embed = (body: Json) => postJson(`${sim.baseURL}/embeddings`, { model: 'embed-model', ...body });

  it('is deterministic, honours dimensions and reports usage', async () => {
    const a = (await (await embed({ input: ['hello world', 'something else'] })).json()) as Json;
    const b = (await (await embed({ input: 'hello world' })).json()) as Json;
    expect(a.object).toBe('list');
    expect(a.model).toBe('embed-model');
    expect(a.data.map((d: Json) => [d.object, d.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ]);
    expect(a.data[0].embedding).toHaveLength(256);
    expect(b.data[0].embedding).toEqual(a.data[0].embedding);
    expect(a.data[1].embedding).not.toEqual(a.data[0].embedding);
    expect(Math.hypot(...a.data[0].embedding)).toBeCloseTo(1, 6);
    expect(a.usage).toEqual({ prompt_tokens: 3 + 4, total_tokens: 7 });
    const small = (await (await embed({ input: 'hello world', dimensions: 32 })).json()) as Json;
    expect(small.data[0].embedding).toHaveLength(32);
  });

  it('encodes base64 when asked, as the OpenAI SDK does by default', async () => {
    const body = (await (
      await embed({ input: 'hi', dimensions: 16, encoding_format: 'base64' })
    ).json()) as Json;
    expect(Buffer.from(body.data[0].embedding, 'base64')).toHaveLength(16 * 4);
  });

  it('rejects an empty input with a 400', async () => {
    const res = await embed({ input: '' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.param).toBe('input');
  });
});

describe('POST /v1/completions (legacy)', () => {
  const complete = (body: Json) =>
    postJson(`${sim.baseURL}/completions`, { model: 'sim-model', prompt: 'life', ...body });

  it('answers plainly', async () => {
    const body = (await (await complete({})).json()) as Json;
    expect(body).toMatchObject({
      object: 'text_completion',
      choices: [{ text: 'The answer to life', index: 0, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 5, total_tokens: 6 },
    });
    expect(body.id).toMatch(/^cmpl-/);
  });

  it('streams chunks shaped like the OpenAI recording', async () => {
    const sse = await readSse(await complete({ stream: true, stream_options: { include_usage: true } }));
    expect(sse.done).toBe(true);
    const chunks = sse.payloads.map((p) => JSON.parse(p) as Json);
    const real = fixtureChunks('openai-completion-text.chunks.txt');
    expect(chunks.slice(0, -2).map((c) => c.choices[0].text)).toEqual(['The', ' an', 'swe', 'r t', 'o l']);
    expect(shapeOf(chunks[0])).toEqual(shapeOf(real[0]));
    expect(shapeOf(chunks.at(-2))).toEqual(shapeOf(real.at(-2)));
    expect(chunks.at(-2)!.choices[0]).toMatchObject({ text: 'ife', finish_reason: 'stop' });
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(shapeOf(usage)).toMatchObject(shapeOf(real.at(-1)) as Json);
  });
});

describe('GET /metrics', () => {
  it('parses as Prometheus text with the families of a real vLLM scrape', async () => {
    const ours = await metrics();
    const real = parsePrometheus(fixtureText('vllm-metrics/vllm-v1-0.29-kv-cache-usage.txt'));
    const names = [
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
      'vllm:prefix_cache_queries_total',
      'vllm:prefix_cache_hits_total',
      'vllm:prompt_tokens_total',
      'vllm:generation_tokens_total',
      'vllm:request_success_total',
    ];
    for (const name of names) {
      expect(ours.types.get(name), name).toBe(real.types.get(name));
      expect(ours.helps.get(name), name).toBe(real.helps.get(name));
      const sample = ours.samples.find((s) => s.name === name);
      const realSample = real.samples.find((s) => s.name === name);
      expect(Object.keys(sample?.labels ?? {}).sort(), name).toEqual(
        Object.keys(realSample?.labels ?? {}).sort(),
      );
    }
    expect(sampleValue(ours, 'vllm:num_requests_running', { model_name: 'embed-model' })).toBe(0);
  });

  it('shows running and waiting requests under maxConcurrency, and counts them when done', async () => {
    const before = await metrics();
    const success = (prom: typeof before) =>
      sampleValue(prom, 'vllm:request_success_total', { model_name: 'sim-model', finished_reason: 'stop' }) ??
      0;
    const inFlight = [1, 2, 3, 4, 5].map((i) =>
      postJson(`${sim.baseURL}/chat/completions`, chatBody(`slow ${i}`)),
    );
    // Wait until all five have arrived (on a loaded machine that can take a while), then look.
    let busy = await metrics();
    for (
      let i = 0;
      i < 40 && sampleValue(busy, 'vllm:num_requests_waiting', { model_name: 'sim-model' }) !== 3;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      busy = await metrics();
    }
    expect(sampleValue(busy, 'vllm:num_requests_running', { model_name: 'sim-model' })).toBe(2);
    expect(sampleValue(busy, 'vllm:num_requests_waiting', { model_name: 'sim-model' })).toBe(3);
    expect(sampleValue(busy, 'vllm:kv_cache_usage_perc', { model_name: 'sim-model' })).toBeGreaterThan(0);
    await Promise.all(inFlight.map(async (p) => (await p).text()));
    const after = await metrics();
    expect(sampleValue(after, 'vllm:num_requests_running', { model_name: 'sim-model' })).toBe(0);
    expect(sampleValue(after, 'vllm:num_requests_waiting', { model_name: 'sim-model' })).toBe(0);
    expect(sampleValue(after, 'vllm:kv_cache_usage_perc', { model_name: 'sim-model' })).toBe(0);
    expect(success(after) - success(before)).toBe(5);
  });

  it('counts prefix-cache hits when prompts share a long prefix', async () => {
    const shared = 'You are a careful reviewer of pull requests. '.repeat(10);
    const before = await metrics();
    const hits = (prom: typeof before) => sampleValue(prom, 'vllm:prefix_cache_hits_total') ?? 0;
    const ask = async (tail: string) =>
      (await (await postJson(`${sim.baseURL}/chat/completions`, chatBody(shared + tail))).json()) as Json;
    const first = await ask('first diff');
    const second = await ask('second diff');
    expect(first.usage.prompt_tokens_details.cached_tokens).toBe(0);
    expect(second.usage.prompt_tokens_details.cached_tokens).toBeGreaterThanOrEqual(16 * 6);
    expect(hits(await metrics()) - hits(before)).toBe(second.usage.prompt_tokens_details.cached_tokens);
  });

  it('emits the older vLLM names with metricsStyle v0', async () => {
    const old = await startSim({ scenario: {}, metricsStyle: 'v0' });
    try {
      await postJson(`${old.baseURL}/chat/completions`, chatBody('x'.repeat(200)));
      const prom = await metrics(old);
      const v0 = parsePrometheus(fixtureText('vllm-metrics/vllm-v0-2024-gpu-cache-usage.txt'));
      expect(prom.types.get('vllm:gpu_cache_usage_perc')).toBe(v0.types.get('vllm:gpu_cache_usage_perc'));
      expect(prom.types.get('vllm:gpu_prefix_cache_queries_total')).toBe('counter');
      expect(prom.types.get('vllm:gpu_prefix_cache_hits_total')).toBe('counter');
      expect(prom.types.has('vllm:kv_cache_usage_perc')).toBe(false);
      expect(prom.types.has('vllm:prefix_cache_queries_total')).toBe(false);
      expect(
        sampleValue(prom, 'vllm:gpu_prefix_cache_queries_total', { model_name: 'sim-model' }),
      ).toBeGreaterThan(0);
      expect(prom.samples.every((s) => !('engine' in s.labels))).toBe(true);
    } finally {
      await old.close();
    }
  });

  it('uses a parser that accepts real scrapes and rejects broken text', () => {
    for (const f of ['vllm-v0-2024-gpu-cache-usage.txt', 'vllm-v1-0.29-kv-cache-usage.txt']) {
      expect(parsePrometheus(fixtureText(`vllm-metrics/${f}`)).samples.length).toBeGreaterThan(10);
    }
    expect(() => parsePrometheus('vllm:x{model_name="a"} 1.0\n')).toThrow(/TYPE/);
    expect(() => parsePrometheus('# TYPE vllm:x gauge\nvllm:x{model_name=a} 1.0\n')).toThrow(/labels/);
  });
});
