import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type GatewayConfigInput,
  type GatewayRequestEvent,
  type GatewayServer,
  startGateway,
} from '../../src/gateway/index.js';
import { type ScenarioInput, type SimServer, startSim } from '../../src/sim/index.js';
import { parsePrometheus, postJson, readSse, sampleValue } from '../support/wire-kit.js';

/*
 * Faults between the gateway and its backends, each played by a simulator
 * scenario. Timeouts and windows are scaled down from production values
 * (the 10 s outage is 2 s here) so the suite stays fast; the
 * mechanisms are the same.
 */

const MODEL = 'sim-model';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function sim(scenario: ScenarioInput): Promise<SimServer> {
  const server = await startSim({ scenario: { models: [MODEL], defaults: { chunkSize: 2 }, ...scenario } });
  open.push(server);
  return server;
}

async function gatewayOver(
  sims: SimServer[],
  extra: Partial<GatewayConfigInput> = {},
): Promise<{ gw: GatewayServer; client: OpenAI; events: GatewayRequestEvent[] }> {
  const gw = await startGateway({
    config: {
      listen: { port: 0 },
      backends: sims.map((s, i) => ({ name: `gpu-${i + 1}`, url: s.baseURL, type: 'vllm', models: [MODEL] })),
      routing: { default: { policy: 'round-robin' } },
      health: { probeIntervalMs: 60_000, failureThreshold: 2, cooldownMs: 200, waitMs: 2_000 },
      timeouts: { firstTokenMs: 400, idleMs: 300, requestMs: 5_000 },
      ...extra,
    },
  });
  open.unshift(gw);
  const events: GatewayRequestEvent[] = [];
  gw.events.subscribe((e) => events.push(e));
  return { gw, client: new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 }), events };
}

const ask = (text: string) => ({ model: MODEL, messages: [{ role: 'user' as const, content: text }] });

async function drain(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

async function running(server: SimServer): Promise<number | undefined> {
  const prom = parsePrometheus(await (await fetch(`${server.url}/metrics`)).text());
  return sampleValue(prom, 'vllm:num_requests_running', { model_name: MODEL });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('gateway failover', () => {
  it('rides out a backend answering 503 for a while, cools it down, and takes it back after', async () => {
    const OUTAGE_MS = 2_000;
    const flaky = await sim({
      rules: [{ match: { untilMs: OUTAGE_MS }, fault: { type: 'http', status: 503 } }],
    });
    const steady = await sim({});
    const { client, events, gw } = await gatewayOver([flaky, steady]);
    flaky.reset();
    const started = Date.now();
    for (let i = 0; i < 8; i++) {
      const reply = await client.chat.completions.create(ask('during'));
      expect(reply.choices[0]?.message.content).toContain('during');
    }
    expect(Date.now() - started, 'the requests must all meet the outage').toBeLessThan(OUTAGE_MS);
    const during = [...events];
    expect(during.every((e) => e.status === 200 && e.backend === 'gpu-2')).toBe(true);
    const failures = during.flatMap((e) => e.attempts).filter((a) => a.backend === 'gpu-1');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((a) => a.outcome === 'http-error' && a.status === 503)).toBe(true);
    // Two failures (the threshold) cool it for 200 ms; after that it gets one try on probation each
    // time a cooldown ends, and each cooldown doubles (200, 400, 800 ms): within the 2 s window at
    // most 2 + 3 tries, however many requests came.
    expect(failures.length).toBeLessThanOrEqual(5);
    expect(failures.length).toBeLessThan(during.length);
    expect(gw.backends()[0]?.cooldowns).toBeGreaterThan(0);
    // After the outage and its last cooldown it comes back on its own.
    await sleep(OUTAGE_MS - (Date.now() - started));
    for (let i = 0; i < 100 && gw.backends()[0]?.state !== 'healthy'; i++) await sleep(20);
    events.length = 0;
    for (let i = 0; i < 4; i++) await client.chat.completions.create(ask('after'));
    expect(events.some((e) => e.backend === 'gpu-1' && e.attempts.length === 1)).toBe(true);
  });

  it('fails over when a backend stalls before its first token', async () => {
    const stalls = await sim({ rules: [{ fault: { type: 'stall', afterChunks: 0 } }] });
    const steady = await sim({});
    const { client, events } = await gatewayOver([stalls, steady]);
    const started = Date.now();
    const text = await drain(await client.chat.completions.create({ ...ask('hello'), stream: true }));
    expect(text).toContain('hello');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(events[0]?.attempts.map((a) => [a.backend, a.outcome])).toEqual([
      ['gpu-1', 'first-token-timeout'],
      ['gpu-2', 'ok'],
    ]);
    await sleep(50);
    expect(await running(stalls)).toBe(0);
  });

  it('ends a stream that stalls after its first chunk with an error event, and frees the backend', async () => {
    const stalls = await sim({
      rules: [{ reply: { content: 'a long answer' }, fault: { type: 'stall', afterChunks: 2 } }],
    });
    const { client, events } = await gatewayOver([stalls]);
    const started = Date.now();
    const error = await drain(await client.chat.completions.create({ ...ask('x'), stream: true })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/sent nothing for 300 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(events[0]).toMatchObject({ outcome: 'interrupted', status: 200 });
    await sleep(50);
    expect(await running(stalls)).toBe(0);
  });

  it('ends a stream whose connection drops midway with an error event, never a hang', async () => {
    const cuts = await sim({
      rules: [{ reply: { content: 'abcdefghij' }, fault: { type: 'cut', afterChunks: 3 } }],
    });
    const { client, events } = await gatewayOver([cuts]);
    const res = await postJson(`${client.baseURL}/chat/completions`, { ...ask('x'), stream: true });
    const sse = await readSse(res);
    expect(sse.error).toBeUndefined();
    expect(sse.done).toBe(false);
    const last = JSON.parse(sse.payloads.at(-1) ?? '{}') as { error?: { code: string; message: string } };
    expect(last.error?.code).toBe('upstream_stream_interrupted');
    expect(sse.payloads.length).toBe(4);
    expect(events[0]).toMatchObject({ outcome: 'interrupted', usageEstimated: true });
  });

  it('fails over when the connection drops before the first event', async () => {
    const cuts = await sim({ rules: [{ fault: { type: 'cut', afterChunks: 0 } }] });
    const steady = await sim({});
    const { client, events } = await gatewayOver([cuts, steady]);
    expect(await drain(await client.chat.completions.create({ ...ask('again'), stream: true }))).toContain(
      'again',
    );
    expect(events[0]?.attempts.map((a) => a.outcome)).toEqual(['interrupted', 'ok']);
  });

  it('fails over from malformed JSON, and ends a stream at a malformed SSE line', async () => {
    const garbles = await sim({
      rules: [{ reply: { content: 'abcdefgh' }, fault: { type: 'malformed', afterChunks: 2 } }],
    });
    const steady = await sim({});
    const { client, events } = await gatewayOver([garbles, steady]);
    const plain = await client.chat.completions.create(ask('plain'));
    expect(plain.choices[0]?.message.content).toContain('plain');
    expect(events[0]?.attempts.map((a) => [a.backend, a.outcome])).toEqual([
      ['gpu-1', 'malformed'],
      ['gpu-2', 'ok'],
    ]);
    // Round-robin sends the stream to gpu-1 first; it turns bad after two good events.
    const res = await postJson(`${client.baseURL}/chat/completions`, { ...ask('s'), stream: true });
    const sse = await readSse(res);
    expect(sse.error).toBeUndefined();
    expect(sse.payloads).toHaveLength(3);
    expect((JSON.parse(sse.payloads[2] ?? '{}') as { error?: { code: string } }).error?.code).toBe(
      'upstream_malformed',
    );
  });

  it('honours retry-after on a burst of 429s: the limited backend gets nothing until then', async () => {
    const limited = await sim({ rules: [{ fault: { type: 'http', status: 429, retryAfter: 1 } }] });
    const steady = await sim({});
    const { client, events } = await gatewayOver([limited, steady]);
    const chats = () => limited.requests().filter((r) => r.path === '/v1/chat/completions').length;
    await client.chat.completions.create(ask('first'));
    expect(events[0]?.attempts.map((a) => [a.backend, a.outcome])).toEqual([
      ['gpu-1', 'rate-limited'],
      ['gpu-2', 'ok'],
    ]);
    const replies = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) => client.chat.completions.create(ask(`burst ${i}`))),
    );
    expect(replies.every((r) => r.choices[0]?.message.content?.includes('burst'))).toBe(true);
    expect(events.slice(1).every((e) => e.backend === 'gpu-2' && e.attempts.length === 1)).toBe(true);
    expect(chats()).toBe(1);
  });

  it('waits out retry-after when the only backend is rate limited', async () => {
    const limited = await sim({ rules: [{ times: 1, fault: { type: 'http', status: 429, retryAfter: 1 } }] });
    const { client, events } = await gatewayOver([limited]);
    const reply = await client.chat.completions.create(ask('patience'));
    expect(reply.choices[0]?.message.content).toContain('patience');
    const chats = limited.requests().filter((r) => r.path === '/v1/chat/completions');
    const [first, second] = chats.map((r) => Date.parse(r.time));
    expect(chats).toHaveLength(2);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(990);
    expect(events[0]?.attempts.map((a) => a.outcome)).toEqual(['rate-limited', 'ok']);
  });

  it('passes a 429 on when its retry-after is longer than the gateway waits', async () => {
    const limited = await sim({ rules: [{ fault: { type: 'http', status: 429, retryAfter: 90 } }] });
    const { client } = await gatewayOver([limited], { retries: { maxRetryAfterMs: 5_000 } });
    const started = Date.now();
    const error = await client.chat.completions.create(ask('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(
      Number((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')),
    ).toBeGreaterThanOrEqual(89);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('waits when every backend is down, then fails with a clear message', async () => {
    const a = await sim({});
    const b = await sim({});
    const WAIT_MS = 500;
    const { client, gw } = await gatewayOver([a, b], { health: { probeIntervalMs: 100, waitMs: WAIT_MS } });
    await Promise.all([a.close(), b.close()]);
    await gw.probe();
    const started = Date.now();
    const error = await client.chat.completions.create(ask('anyone?')).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    const failure = error as InstanceType<typeof OpenAI.InternalServerError>;
    expect(failure.status).toBe(503);
    expect(failure.code).toBe('no_backend_available');
    expect(failure.message).toMatch(/gpu-1 is down \(probe failed: .*connection refused\).*gpu-2 is down/);
    expect(failure.headers?.get('retry-after')).toBeTruthy();
    expect(elapsed).toBeGreaterThanOrEqual(WAIT_MS - 20);
    expect(elapsed).toBeLessThan(WAIT_MS + 1_000);
  });

  it('serves a waiting request as soon as a downed backend comes back', async () => {
    const first = await sim({});
    const port = first.port;
    const { client, gw } = await gatewayOver([first], { health: { probeIntervalMs: 100, waitMs: 3_000 } });
    await first.close();
    await gw.probe();
    expect(gw.backends()[0]?.state).toBe('down');
    const pending = client.chat.completions.create(ask('back?'));
    await sleep(300);
    const revived = await startSim({ scenario: { models: [MODEL] }, port });
    open.push(revived);
    const reply = await pending;
    expect(reply.choices[0]?.message.content).toContain('back?');
  });

  it('cancels the upstream request when the client hangs up mid-stream', async () => {
    const slow = await sim({ rules: [{ reply: { content: 'x'.repeat(200), chunkDelayMs: 20 } }] });
    const { client, events } = await gatewayOver([slow]);
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { ...ask('go'), stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    await (async () => {
      for await (const _ of stream) if (++seen === 3) controller.abort();
    })().catch(() => undefined);
    await sleep(100);
    expect(await running(slow)).toBe(0);
    const prom = parsePrometheus(await (await fetch(`${slow.url}/metrics`)).text());
    expect(sampleValue(prom, 'vllm:request_success_total', { finished_reason: 'abort' })).toBe(1);
    expect(events[0]).toMatchObject({ outcome: 'cancelled', usageEstimated: true });
  });

  it('answers 504 when the whole request takes longer than its timeout', async () => {
    const slow = await sim({ rules: [{ reply: { content: 'late', latencyMs: 2_000 } }] });
    const { client } = await gatewayOver([slow], { timeouts: { requestMs: 300 } });
    const error = await client.chat.completions.create(ask('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
  });
});
