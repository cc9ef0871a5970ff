import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/events.js';
import type { GatewayConfigInput, GatewayRequestEvent, GatewayServer } from '../../src/gateway/index.js';
import { GATEWAY_RUN_ID, startGateway } from '../../src/gateway/index.js';
import { RunStore } from '../../src/observe/index.js';
import { type ScenarioInput, type SimServer, startSim } from '../../src/sim/index.js';
import { parsePrometheus, postJson, sampleValue } from '../support/wire-kit.js';

/* Routing policies over real HTTP: simulators as backends, the gateway's own events as the record. */

const MODEL = 'sim-model';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function sims(n: number, scenario: ScenarioInput = {}): Promise<SimServer[]> {
  const started = await Promise.all(
    Array.from({ length: n }, () => startSim({ scenario: { models: [MODEL], ...scenario } })),
  );
  open.push(...started);
  return started;
}

async function gatewayOver(
  backends: SimServer[],
  route: Record<string, unknown>,
  extra: Partial<GatewayConfigInput> = {},
  overrides: Record<string, unknown>[] = [],
) {
  const gw: GatewayServer = await startGateway({
    config: {
      listen: { port: 0 },
      health: { probeIntervalMs: 60_000 },
      scrape: { intervalMs: 60_000 },
      backends: backends.map((s, i) => ({
        name: `gpu-${i + 1}`,
        url: s.baseURL,
        type: 'vllm',
        models: [MODEL],
        ...overrides[i],
      })),
      routing: { default: route },
      ...extra,
    },
  });
  open.unshift(gw);
  const events: GatewayRequestEvent[] = [];
  gw.events.subscribe((e) => events.push(e));
  return { gw, events, client: new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 }) };
}

const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: MODEL,
  messages: [{ role: 'user' as const, content }],
  ...extra,
});

describe('gateway routing', () => {
  it('round-robin takes each backend in turn', async () => {
    const { client, events } = await gatewayOver(await sims(3), { policy: 'round-robin' });
    for (let i = 0; i < 6; i++) await client.chat.completions.create(ask(`q${i}`));
    expect(events.map((e) => e.backend)).toEqual(['gpu-1', 'gpu-2', 'gpu-3', 'gpu-1', 'gpu-2', 'gpu-3']);
    expect(events.every((e) => e.reason === 'round-robin')).toBe(true);
  });

  it('least-loaded avoids a backend busy with other clients’ work, seen through its /metrics', async () => {
    const [busy, idle] = await sims(2, {
      rules: [{ match: { lastUser: 'direct' }, reply: { content: 'x', latencyMs: 800 } }],
    });
    const { gw, client, events } = await gatewayOver([busy as SimServer, idle as SimServer], {
      policy: 'least-loaded',
    });
    // Work the gateway does not know about, sent straight to the first server.
    const direct = [1, 2, 3].map(() =>
      postJson(`${busy?.baseURL}/chat/completions`, ask('direct')).then((r) => r.text()),
    );
    for (let tries = 0; tries < 50 && gw.backends()[0]?.running !== 3; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await gw.scrape();
    }
    expect(gw.backends()[0]?.running).toBe(3);
    for (let i = 0; i < 4; i++) await client.chat.completions.create(ask(`q${i}`));
    expect(events.map((e) => e.backend)).toEqual(['gpu-2', 'gpu-2', 'gpu-2', 'gpu-2']);
    expect(events[0]?.reason).toMatch(/least loaded \(utilization 0\.00\)/);
    await Promise.all(direct);
  });

  it('cache-aware keeps each shared system prompt on one backend, and the servers’ caches hit', async () => {
    const backends = await sims(3);
    const { client, events } = await gatewayOver(backends, { policy: 'cache-aware' });
    const systems = ['reviewer', 'planner', 'tester', 'writer'].map(
      (role) =>
        `You are the ${role}. ${'Follow the house rules carefully and explain each step. '.repeat(12)}`,
    );
    let cached = 0;
    for (let turn = 0; turn < 4; turn++) {
      for (const system of systems) {
        const reply = await client.chat.completions.create({
          model: MODEL,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: `question ${turn}` },
          ],
        });
        cached += reply.usage?.prompt_tokens_details?.cached_tokens ?? 0;
      }
    }
    for (const [i] of systems.entries()) {
      const served = new Set(events.filter((_, n) => n % systems.length === i).map((e) => e.backend));
      expect(served.size).toBe(1);
    }
    expect(
      events.slice(systems.length).every((e) => /^prefix match of \d+ of \d+ chunks$/.test(e.reason ?? '')),
    ).toBe(true);
    // Every repeat found its prefix cached on the server it went to.
    const promptTokens = events
      .slice(systems.length)
      .reduce((sum, e) => sum + (e.usage?.promptTokens ?? 0), 0);
    expect(cached).toBeGreaterThan(promptTokens * 0.8);
  });

  it('cache-aware leaves the matching backend when it is overloaded relative to the others', async () => {
    const backends = await sims(2, { rules: [{ reply: { content: 'slow', latencyMs: 400 } }] });
    const { client, events } = await gatewayOver(backends, {
      policy: 'cache-aware',
      cache: { balanceAbsolute: 2, balanceRatio: 1.5 },
    });
    const system = `Shared system prompt. ${'Keep it short. '.repeat(40)}`;
    const body = (i: number) => ({
      model: MODEL,
      messages: [
        { role: 'system' as const, content: system },
        { role: 'user' as const, content: `q${i}` },
      ],
    });
    await client.chat.completions.create(body(0));
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => client.chat.completions.create(body(i))));
    const burst = events.slice(1);
    expect(new Set(burst.map((e) => e.backend)).size).toBe(2);
    expect(burst.some((e) => /overloaded/.test(e.reason ?? ''))).toBe(true);
  });

  it('keeps a session on one backend, by header or by the user field', async () => {
    const { client, events } = await gatewayOver(await sims(3), {
      policy: 'round-robin',
      affinity: { header: 'x-session-id' },
    });
    for (let i = 0; i < 4; i++) {
      await client.chat.completions.create(ask(`turn ${i}`), { headers: { 'x-session-id': 'conv-42' } });
    }
    expect(new Set(events.map((e) => e.backend)).size).toBe(1);
    expect(events.slice(1).every((e) => e.reason === 'session affinity')).toBe(true);
    events.length = 0;
    for (let i = 0; i < 3; i++) await client.chat.completions.create(ask(`turn ${i}`, { user: 'alice' }));
    for (let i = 0; i < 3; i++) await client.chat.completions.create(ask(`turn ${i}`, { user: 'bob' }));
    expect(new Set(events.slice(0, 3).map((e) => e.backend)).size).toBe(1);
    expect(new Set(events.slice(3).map((e) => e.backend)).size).toBe(1);
  });

  it('spills over to the paid backend only when the local ones are busy, and reports the savings', async () => {
    const [local, cloud] = await sims(2, { rules: [{ reply: { content: 'answer', latencyMs: 300 } }] });
    const price = { input: 2.5, output: 10 };
    const { gw, client, events } = await gatewayOver(
      [local as SimServer, cloud as SimServer],
      { policy: 'least-loaded', spillover: { loadThreshold: 0.8 } },
      {},
      [
        { name: 'local', maxConcurrency: 2 },
        { name: 'cloud', price },
      ],
    );
    for (let i = 0; i < 3; i++) await client.chat.completions.create(ask(`calm ${i}`));
    expect(events.map((e) => e.backend)).toEqual(['local', 'local', 'local']);
    expect(events.every((e) => e.costUsd === 0 && e.savedUsd > 0)).toBe(true);
    await Promise.all([1, 2, 3, 4, 5].map((i) => client.chat.completions.create(ask(`rush ${i}`))));
    const rush = events.slice(3);
    const toCloud = rush.filter((e) => e.backend === 'cloud');
    // 0.8 of 2 slots: one request in flight keeps local open, the second takes it over the threshold.
    expect(rush.filter((e) => e.backend === 'local')).toHaveLength(2);
    expect(toCloud).toHaveLength(3);
    expect(
      toCloud.every((e) => /spill-over to tier 2/.test(e.reason ?? '') && e.costUsd > 0 && e.savedUsd === 0),
    ).toBe(true);
    const prom = parsePrometheus(await (await fetch(`${gw.url}/metrics`)).text());
    const saved = events.reduce((sum, e) => sum + e.savedUsd, 0);
    expect(sampleValue(prom, 'swarm_gateway_spillover_savings_usd_total', { model: MODEL })).toBeCloseTo(
      saved,
      12,
    );
    expect(sampleValue(prom, 'swarm_gateway_spend_usd_total')).toBeCloseTo(
      toCloud.reduce((sum, e) => sum + e.costUsd, 0),
      12,
    );
  });

  it('queues requests beyond every backend’s max concurrency instead of overloading them', async () => {
    const backends = await sims(2, { rules: [{ reply: { content: 'answer', latencyMs: 150 } }] });
    const { client, events, gw } = await gatewayOver(backends, { policy: 'least-loaded' }, {}, [
      { maxConcurrency: 1 },
      { maxConcurrency: 1 },
    ]);
    const peak = { value: 0 };
    const timer = setInterval(() => {
      const inFlight = gw.backends().reduce((sum, b) => sum + b.inFlight, 0);
      peak.value = Math.max(peak.value, inFlight);
    }, 5);
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => client.chat.completions.create(ask(`q${i}`))));
    clearInterval(timer);
    expect(peak.value).toBeLessThanOrEqual(2);
    expect(events.filter((e) => e.waitedMs > 0).length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.status === 200)).toBe(true);
  });

  it('puts each request on the event bus as gateway.request, with the decision and its reasons, for the run store', async () => {
    const backends = await sims(2);
    const dir = mkdtempSync(join(tmpdir(), 'swarm-gw-events-'));
    const bus = new EventBus();
    const store = new RunStore(join(dir, 'runs.db'));
    store.attach(bus);
    const gw = await startGateway({
      bus,
      config: {
        listen: { port: 0 },
        health: { probeIntervalMs: 60_000 },
        backends: backends.map((s, i) => ({ name: `gpu-${i + 1}`, url: s.baseURL, models: [MODEL] })),
        routing: { default: { policy: 'round-robin' } },
      },
    });
    open.unshift(gw);
    try {
      await postJson(`${gw.baseURL}/chat/completions`, ask('mine'), {
        headers: { 'x-swarm-run-id': 'run_abc123' },
      });
      await postJson(`${gw.baseURL}/chat/completions`, ask('anyone'));
      store.flush();
      const [mine] = store.events('run_abc123');
      const [other] = store.events(GATEWAY_RUN_ID);
      expect(mine).toMatchObject({
        type: 'gateway.request',
        data: { backend: 'gpu-1', policy: 'round-robin', reason: 'round-robin', outcome: 'ok' },
      });
      expect(other).toMatchObject({ type: 'gateway.request', data: { backend: 'gpu-2', status: 200 } });
      expect((other as { data: { attempts: unknown[] } }).data.attempts).toEqual([
        expect.objectContaining({ backend: 'gpu-2', outcome: 'ok' }),
      ]);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
