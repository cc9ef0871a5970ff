import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type SwarmConfig } from '../../src/core/config.js';
import { CascadeContext } from '../../src/core/context.js';
import { BudgetExceededError } from '../../src/core/errors.js';
import { type AnyEvent, EventBus } from '../../src/core/events.js';
import { MemoryStore, memorySearch, ResponseCache } from '../../src/memory/index.js';
import {
  createProviderFactory,
  localProviders,
  type ModelCallRequest,
  ModelClient,
  PriceTable,
  parseTarget,
} from '../../src/models/index.js';
import { type SimServer, startSim } from '../../src/sim/index.js';

/**
 * The model layer's response-cache hook with memory's cache plugged in, as
 * the run command wires it, against the simulator over HTTP: upstream calls
 * are counted where they arrive, at the simulator.
 */

let root: string;
let sim: SimServer;
let config: SwarmConfig;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'swarm-memory-cache-'));
  sim = await startSim({
    scenario: { defaults: { latencyMs: 150 }, rules: [{ reply: { content: 'the answer' } }] },
  });
  config = {
    ...configSchema.parse({ providers: { sim: { type: 'openai-compatible', baseURL: sim.baseURL } } }),
    file: undefined,
    root,
  };
});

afterAll(async () => {
  await sim.close();
  rmSync(root, { recursive: true, force: true });
});

function clientWith(cache: ResponseCache): ModelClient {
  return new ModelClient(
    createProviderFactory(),
    PriceTable.load({}, localProviders(config)),
    config.retry,
    cache,
  );
}

function context(events = new EventBus(), budget: { tokens?: number } = {}) {
  return CascadeContext.createRun({ agent: 'test', task: 'cache', events, budget });
}

function request(question: string, temperature = 0): ModelCallRequest {
  return {
    models: [parseTarget(config, 'sim:sim-model')],
    prompt: [{ role: 'user', content: [{ type: 'text', text: question }] }],
    maxOutputTokens: 64,
    temperature,
  };
}

const chats = () => sim.requests().filter((r) => r.path === '/v1/chat/completions').length;

describe('model calls through the response cache', { timeout: 120_000 }, () => {
  it('sends 50 identical concurrent calls upstream once; each caller is told where its answer came from', async () => {
    sim.reset();
    const client = clientWith(new ResponseCache());
    const bus = new EventBus();
    const events: AnyEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const results = await Promise.all(
      Array.from({ length: 50 }, () => client.call(context(bus), request('What is a segment?'))),
    );
    expect(chats()).toBe(1);
    expect(results.map((r) => r.text)).toEqual(Array(50).fill('the answer'));
    expect(results.filter((r) => r.cache === 'coalesced')).toHaveLength(49);
    expect(results.filter((r) => r.cache === 'coalesced').every((r) => r.costUsd === 0)).toBe(true);
    expect(events.filter((e) => e.type === 'model.call')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'model.cached')).toHaveLength(49);

    const again = await client.call(context(), request('what is a segment'));
    expect(again.cache).toBe('near');
    expect(chats()).toBe(1);
  });

  it('does not serve, store or coalesce calls sampled above the temperature threshold', async () => {
    sim.reset();
    const cache = new ResponseCache({ maxTemperature: 0.2 });
    const client = clientWith(cache);
    const hot = request('Write a poem about segments.', 0.9);
    const results = await Promise.all(Array.from({ length: 5 }, () => client.call(context(), hot)));
    await client.call(context(), hot);
    expect(chats()).toBe(6);
    expect(results.every((r) => r.cache === undefined)).toBe(true);
    expect(cache.stats()).toMatchObject({ entries: 0, bypassed: 6 });
    // at the threshold it is served again
    await client.call(context(), request('Write a poem about segments.', 0.2));
    await client.call(context(), request('Write a poem about segments.', 0.2));
    expect(chats()).toBe(7);
  });

  it('forgets an answer the moment a memory source it was built from changes', async () => {
    writeFileSync(join(root, 'notes.md'), '# Budget\n\nEvery call reserves its worst-case cost first.\n');
    const store = await MemoryStore.open({ dir: join(root, '.swarm/memory'), root, background: false });
    try {
      const cache = new ResponseCache();
      cache.attach(store);
      const client = clientWith(cache);
      await store.ingest([join(root, 'notes.md')]);
      const found = await memorySearch(store, { query: 'worst-case cost reservation' });
      expect(found.dependencies).toEqual([expect.stringMatching(/^notes\.md#/)]);
      sim.reset();
      const question = {
        ...request(`${found.text}\n\nHow are budgets reserved?`),
        provenance: { sources: found.dependencies },
      };
      expect((await client.call(context(), question)).cache).toBeUndefined();
      expect((await client.call(context(), question)).cache).toBe('exact');
      expect(chats()).toBe(1);

      writeFileSync(join(root, 'notes.md'), '# Budget\n\nCalls are never reserved.\n');
      await store.ingest([join(root, 'notes.md')]);
      expect(cache.stats().invalidated).toBe(1);
      expect((await client.call(context(), question)).cache).toBeUndefined();
      expect(chats()).toBe(2);
    } finally {
      await store.close();
    }
  });

  it("hands a caller's own budget failure to that caller only: the coalesced ones still get the answer", async () => {
    sim.reset();
    const client = clientWith(new ResponseCache());
    const question = request('Which budget applies?');
    // the first caller leads the call and cannot afford it; the other nine wait on it
    const poor = client.call(context(new EventBus(), { tokens: 10 }), question);
    const rich = Array.from({ length: 9 }, () => client.call(context(), question));
    await expect(poor).rejects.toBeInstanceOf(BudgetExceededError);
    const answers = await Promise.all(rich);
    expect(answers.map((a) => a.text)).toEqual(Array(9).fill('the answer'));
    expect(chats()).toBe(1);
  });

  it('gives every waiter the error of a shared call that failed', async () => {
    const failing = await startSim({
      scenario: {
        defaults: { latencyMs: 100 },
        rules: [{ fault: { type: 'http', status: 400, message: 'bad request' } }],
      },
    });
    try {
      const local = {
        ...configSchema.parse({
          providers: { bad: { type: 'openai-compatible', baseURL: failing.baseURL } },
        }),
        file: undefined,
        root,
      };
      const client = new ModelClient(
        createProviderFactory(),
        PriceTable.load({}, localProviders(local)),
        local.retry,
        new ResponseCache(),
      );
      const call = { ...request('Fail, please.'), models: [parseTarget(local, 'bad:sim-model')] };
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () => client.call(context(), call)),
      );
      expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
      expect(failing.requests().filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
    } finally {
      await failing.close();
    }
  });
});
