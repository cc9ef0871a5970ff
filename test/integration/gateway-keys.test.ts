import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayRequestEvent,
  type GatewayServer,
  newApiKey,
  startGateway,
  worstCase,
} from '../../src/gateway/index.js';
import { type SimServer, startSim } from '../../src/sim/index.js';
import { postJson } from '../support/wire-kit.js';

/** The last chat request a simulator received (probes are GETs and are skipped). */
const lastChat = (server: SimServer) =>
  server
    .requests()
    .filter((r) => r.path === '/v1/chat/completions')
    .at(-1);

/*
 * Virtual keys: stored hashed, scoped to models, limited per minute, and
 * held to a money budget that stays exact under concurrency and for streams.
 */

// USD per million tokens: dear enough that every request's cost is visible.
const PRICE = { input: 1000, output: 2000 };
const MAX_TOKENS = 20;
const LATENCY_MS = 250;

const open = newApiKey('open');
const scoped = newApiKey('scoped');
const slow = newApiKey('slow');
const tight = newApiKey('tight');
const budgeted = newApiKey('budgeted');
const streamer = newApiKey('streamer');
const MESSAGES = [{ role: 'user' as const, content: 'hello' }];
const BODY = {
  model: 'paid',
  messages: [{ role: 'user' as const, content: 'How much does this cost?' }],
  max_tokens: MAX_TOKENS,
};
const ONE = worstCase(Buffer.byteLength(JSON.stringify(BODY)), MAX_TOKENS, PRICE);
const BUDGET_USD = 10 * ONE.usd;

let sim: SimServer;
let gateway: GatewayServer;
const events: GatewayRequestEvent[] = [];

beforeAll(async () => {
  sim = await startSim({
    scenario: {
      models: ['paid', 'other'],
      rules: [
        {
          match: { lastUser: 'long story' },
          reply: { content: 'y'.repeat(400), chunkSize: 4, chunkDelayMs: 10 },
        },
        { match: { lastUser: 'cost' }, reply: { content: 'Exactly this.', latencyMs: LATENCY_MS } },
        { match: { lastUser: 'burst' }, reply: { content: 'Slowly.', latencyMs: 1_000 } },
        { reply: { content: 'ok' } },
      ],
    },
  });
  gateway = await startGateway({
    config: {
      listen: { port: 0 },
      health: { probeIntervalMs: 60_000 },
      limits: { defaultMaxTokens: 64 },
      backends: [{ name: 'cloud', url: sim.baseURL, models: ['paid', 'other'], price: PRICE }],
      keys: [
        { id: 'open', hash: open.hash, tenant: 'acme' },
        { id: 'scoped', hash: scoped.hash, tenant: 'acme', models: ['other'] },
        { id: 'slow', hash: slow.hash, rpm: 3 },
        { id: 'tight', hash: tight.hash, tpm: 400 },
        { id: 'budgeted', hash: budgeted.hash, tenant: 'beta', budget: { usd: BUDGET_USD, period: 'day' } },
        { id: 'streamer', hash: streamer.hash, budget: { usd: 100, period: 'month' } },
      ],
    },
  });
  gateway.events.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await gateway.close();
  await sim.close();
});

const clientFor = (apiKey: string) => new OpenAI({ baseURL: gateway.baseURL, apiKey, maxRetries: 0 });
const account = (id: string) => gateway.accounts().find((a) => a.id === id);

describe('gateway keys', () => {
  it('refuses requests without a valid key', async () => {
    for (const apiKey of [
      '',
      'sk-not-ours',
      `${open.key.slice(0, -2)}xx`,
      open.key.replace('open', 'nobody'),
    ]) {
      const error = await clientFor(apiKey)
        .chat.completions.create({ model: 'paid', messages: MESSAGES })
        .catch((e: unknown) => e);
      expect(error, apiKey).toBeInstanceOf(OpenAI.AuthenticationError);
    }
    const models = await fetch(`${gateway.baseURL}/models`);
    expect(models.status).toBe(401);
  });

  it('serves a valid key and never lets the key itself reach events or metrics', async () => {
    const reply = await clientFor(open.key).chat.completions.create({ model: 'other', messages: MESSAGES });
    expect(reply.choices[0]?.message.content).toBe('ok');
    expect(events.at(-1)).toMatchObject({ keyId: 'open', tenant: 'acme', outcome: 'ok' });
    const secret = open.key.split('.')[1] ?? 'missing';
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(metrics).not.toContain(secret);
    expect(JSON.stringify(gateway.config)).not.toContain(secret);
  });

  it('limits a key to its models, in requests and in /v1/models', async () => {
    const client = clientFor(scoped.key);
    const error = await client.chat.completions
      .create({ model: 'paid', messages: MESSAGES })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as Error).message).toMatch(/may use: other/);
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(['other']);
  });

  it('answers 429 with a retry-after once the requests per minute are used', async () => {
    const client = clientFor(slow.key);
    for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: 'other', messages: MESSAGES });
    const res = await postJson(
      `${gateway.baseURL}/chat/completions`,
      { model: 'other', messages: MESSAGES },
      { headers: { authorization: `Bearer ${slow.key}` } },
    );
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // The sliding window is estimated from two fixed minutes, so the wait can exceed one minute (never two).
    expect(retryAfter).toBeLessThanOrEqual(120);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limit_exceeded');
    expect(body.error.message).toMatch(/"slow".*3 requests per minute/);
  });

  it('counts tokens per minute by worst case at admission and real usage after', async () => {
    const client = clientFor(tight.key);
    const tooBig = await client.chat.completions
      .create({ model: 'other', messages: MESSAGES, max_tokens: 1000 })
      .catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(OpenAI.RateLimitError);
    expect((tooBig as Error).message).toMatch(/more than the key's 400 per minute; lower max_tokens/);
    // Slow answers, so the whole burst is admitted against worst cases before any settles.
    const body = { model: 'other', messages: [{ role: 'user' as const, content: 'burst' }], max_tokens: 100 };
    const worst = worstCase(Buffer.byteLength(JSON.stringify(body)), 100, PRICE);
    const burst = await Promise.allSettled(
      Array.from({ length: 8 }, () => client.chat.completions.create(body)),
    );
    const admitted = burst.filter((r) => r.status === 'fulfilled').length;
    expect(admitted).toBeGreaterThanOrEqual(1);
    expect(admitted).toBeLessThanOrEqual(Math.floor(400 / worst.tokens));
    for (const r of burst)
      if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('rate_limit_exceeded');
    // Settled with real usage (a few tokens each), the window has room again at once.
    await client.chat.completions.create({ ...body, messages: MESSAGES });
    expect(account('tight')?.tokensLastMinute).toBeLessThan(admitted * worst.tokens);
  });

  it('holds 100 concurrent requests to a budget that covers 10', async () => {
    const before = events.length;
    const client = clientFor(budgeted.key);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => client.chat.completions.create(BODY)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(ok).toBeGreaterThanOrEqual(1);
    expect(ok + refused.length).toBe(100);
    for (const error of refused) {
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      const e = error as InstanceType<typeof OpenAI.RateLimitError>;
      expect(e.code).toBe('budget_exceeded');
      expect(Number(e.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    const spent = events.slice(before).reduce((sum, e) => sum + e.costUsd, 0);
    const snapshot = account('budgeted')?.budget;
    expect(snapshot?.reservedUsd).toBeCloseTo(0, 12);
    expect(snapshot?.spentUsd).toBeCloseTo(spent, 12);
    expect(spent).toBeGreaterThan(0);
    // Reservations make it exact: not even the one request's worth of overspend the issue allows.
    expect(spent).toBeLessThanOrEqual(BUDGET_USD);
    // Ten worst cases fit, so at least ten got through; more may have, as early ones settled below their worst case.
    expect(ok).toBeGreaterThanOrEqual(10);
    const again = await client.chat.completions.create(BODY).then(
      () => true,
      () => false,
    );
    expect(again).toBe(BUDGET_USD - spent >= ONE.usd);
  });

  it('bounds output with max_tokens when a budgeted request names none', async () => {
    await clientFor(streamer.key).chat.completions.create({ model: 'other', messages: MESSAGES });
    const sent = lastChat(sim)?.body as { max_tokens?: number };
    expect(sent.max_tokens).toBe(gateway.config.limits.defaultMaxTokens);
  });

  it('settles a stream from its usage chunk, and one the client abandons from what was sent', async () => {
    const client = clientFor(streamer.key);
    const before = account('streamer')?.budget?.spentUsd ?? 0;
    const whole = await client.chat.completions.create({
      model: 'other',
      messages: MESSAGES,
      stream: true,
      max_tokens: 30,
    });
    for await (const _ of whole) {
      // drain
    }
    const full = events.at(-1) as GatewayRequestEvent;
    expect(full.usageEstimated).toBe(false);
    expect(account('streamer')?.budget?.spentUsd).toBeCloseTo(before + full.costUsd, 12);
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'other', messages: [{ role: 'user', content: 'long story' }], stream: true, max_tokens: 500 },
      { signal: controller.signal },
    );
    let chunks = 0;
    await (async () => {
      for await (const _ of stream) if (++chunks === 5) controller.abort();
    })().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cut = events.at(-1) as GatewayRequestEvent;
    expect(cut).toMatchObject({ outcome: 'cancelled', usageEstimated: true });
    expect(cut.usage?.completionTokens).toBeGreaterThan(0);
    expect(cut.usage?.completionTokens).toBeLessThan(100);
    const after = account('streamer')?.budget;
    expect(after?.reservedUsd).toBeCloseTo(0, 12);
    expect(after?.spentUsd).toBeCloseTo(before + full.costUsd + cut.costUsd, 12);
  });
});
