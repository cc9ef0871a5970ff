import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/engine/index.js';
import {
  type GatewayConfigInput,
  type GatewayServer,
  newApiKey,
  startGateway,
  worstCase,
} from '../../src/gateway/index.js';
import { type SimServer, startSim } from '../../src/sim/index.js';

/*
 * Keys' spend and per-minute windows live on the engine's key-value store:
 * a restarted gateway still knows them, and gateways sharing a NATS bucket
 * share one budget, held exact by compare-and-set.
 */

const NATS_URL = process.env.SWARM_NATS_URL ?? 'nats://127.0.0.1:4222';
const PRICE = { input: 1000, output: 2000 };
const MAX_TOKENS = 20;
const BODY = {
  model: 'paid',
  messages: [{ role: 'user' as const, content: 'what does it cost?' }],
  max_tokens: MAX_TOKENS,
};
const ONE = worstCase(Buffer.byteLength(JSON.stringify(BODY)), MAX_TOKENS, PRICE);

const budgeted = newApiKey('budgeted');
const limited = newApiKey('limited');

let sim: SimServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-gw-state-'));
  sim = await startSim({
    scenario: {
      models: ['paid'],
      rules: [
        { match: { lastUser: 'slow' }, reply: { content: 'Slowly.', latencyMs: 800 } },
        { reply: { content: 'Exactly this.' } },
      ],
    },
  });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = (state: { engine: string; bucket?: string }, budgetUsd: number): GatewayConfigInput => ({
  listen: { port: 0 },
  health: { probeIntervalMs: 60_000 },
  backends: [{ name: 'cloud', url: sim.baseURL, models: ['paid'], price: PRICE }],
  keys: [
    { id: 'budgeted', hash: budgeted.hash, budget: { usd: budgetUsd, period: 'month' } },
    { id: 'limited', hash: limited.hash, rpm: 2 },
  ],
  state,
});

const ask = (gw: GatewayServer, key: string, content = 'what does it cost?') =>
  new OpenAI({ baseURL: gw.baseURL, apiKey: key, maxRetries: 0 }).chat.completions
    .create({ ...BODY, messages: [{ role: 'user', content }] })
    .then(
      () => 'ok',
      (error: unknown) => (error instanceof OpenAI.RateLimitError ? 'refused' : error),
    );

describe('gateway key state', () => {
  it('remembers spend and rate windows across a restart', async () => {
    const state = { engine: `sqlite:${join(dir, 'state.db')}` };
    // Room for three worst cases: after two real requests the third still fits, whatever they cost.
    const first = await startGateway({ config: config(state, 3 * ONE.usd) });
    expect(await ask(first, budgeted.key)).toBe('ok');
    expect(await ask(first, budgeted.key)).toBe('ok');
    expect(await ask(first, limited.key)).toBe('ok');
    expect(await ask(first, limited.key)).toBe('ok');
    const spent = first.accounts().find((a) => a.id === 'budgeted')?.budget?.spentUsd ?? 0;
    expect(spent).toBeGreaterThan(0);
    await first.close();

    const second = await startGateway({ config: config(state, 3 * ONE.usd) });
    try {
      const account = second.accounts().find((a) => a.id === 'budgeted');
      expect(account?.budget?.spentUsd).toBeCloseTo(spent, 12);
      expect(account?.budget?.reservedUsd).toBe(0);
      // The per-minute window came back too (unless the minute turned meanwhile, which the window then allows).
      const limitedNow = second.accounts().find((a) => a.id === 'limited');
      expect(limitedNow?.requestsLastMinute).toBeGreaterThan(0);
      if ((limitedNow?.requestsLastMinute ?? 0) >= 2) expect(await ask(second, limited.key)).toBe('refused');
      // Spend so far plus one more worst case passes 3 worst cases only once the third request is booked.
      let served = 0;
      while ((await ask(second, budgeted.key)) === 'ok') served += 1;
      const after = second.accounts().find((a) => a.id === 'budgeted')?.budget?.spentUsd ?? 0;
      expect(after + ONE.usd).toBeGreaterThan(3 * ONE.usd);
      expect(after).toBeLessThanOrEqual(3 * ONE.usd + 1e-12);
      // Every request here costs the same; had the restart forgotten the first two, two more would fit.
      const each = spent / 2;
      expect(served).toBe(Math.floor((2 * ONE.usd - 2 * each) / each + 1e-9) + 1);
    } finally {
      await second.close();
    }
  });

  it('holds one budget across two gateways sharing a NATS bucket', async () => {
    const bucket = `gwtest_${randomBytes(6).toString('hex')}`;
    const budgetUsd = 10 * ONE.usd;
    const state = { engine: NATS_URL, bucket };
    const gateways = await Promise.all([
      startGateway({ config: config(state, budgetUsd) }),
      startGateway({ config: config(state, budgetUsd) }),
    ]);
    try {
      // 40 concurrent requests, half at each gateway, each slow enough that all are in flight at once.
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) => ask(gateways[i % 2] as GatewayServer, budgeted.key, 'slow')),
      );
      const ok = outcomes.filter((o) => o === 'ok').length;
      expect(outcomes.filter((o) => o !== 'ok' && o !== 'refused')).toEqual([]);
      // Worst cases are reserved at admission: ten fit at once; more only as early ones settle below theirs.
      expect(ok).toBeGreaterThanOrEqual(10);
      expect(ok).toBeLessThan(40);
      // A request after the burst reads the shared state: the spend both booked, within the budget.
      await ask(gateways[0] as GatewayServer, budgeted.key);
      await ask(gateways[1] as GatewayServer, budgeted.key);
      const spent = gateways.map((g) => g.accounts().find((a) => a.id === 'budgeted')?.budget?.spentUsd ?? 0);
      expect(Math.max(...spent)).toBeLessThanOrEqual(budgetUsd + 1e-12);
      expect(Math.max(...spent)).toBeGreaterThan(0);
    } finally {
      await Promise.all(gateways.map((g) => g.close()));
      const engine = await openBackend(NATS_URL);
      await (await engine.kv(bucket)).destroy();
      await engine.close();
    }
  });
});
