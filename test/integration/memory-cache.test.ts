import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type SwarmConfig } from '../../src/core/config.js';
import { CascadeContext } from '../../src/core/context.js';
import { EventBus } from '../../src/core/events.js';
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
 * The response cache in front of the real model client, against the
 * simulator over HTTP: the way the model layer's hook will use it.
 */

let root: string;
let sim: SimServer;
let config: SwarmConfig;
let client: ModelClient;

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
  client = new ModelClient(
    createProviderFactory(),
    PriceTable.load({}, localProviders(config)),
    config.retry,
  );
});

afterAll(async () => {
  await sim.close();
  rmSync(root, { recursive: true, force: true });
});

function context() {
  return CascadeContext.createRun({ agent: 'test', task: 'cache', events: new EventBus() });
}

function request(question: string): ModelCallRequest {
  return {
    models: [parseTarget(config, 'sim:sim-model')],
    prompt: [{ role: 'user', content: [{ type: 'text', text: question }] }],
    maxOutputTokens: 64,
    temperature: 0,
  };
}

const chats = () => sim.requests().filter((r) => r.path === '/v1/chat/completions').length;

function through(cache: ResponseCache, req: ModelCallRequest, dependencies: string[] = []) {
  const ctx = context();
  const call = {
    models: req.models.map((m) => m.ref),
    prompt: req.prompt,
    maxOutputTokens: req.maxOutputTokens,
    temperature: req.temperature,
    tenant: ctx.tenantId,
  };
  return cache.run(call, { signal: ctx.signal, dependencies }, () => client.call(ctx, req));
}

describe('response cache in front of the model client', () => {
  it('sends 50 identical concurrent calls upstream once', async () => {
    sim.reset();
    const cache = new ResponseCache();
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => through(cache, request('What is a segment?'))),
    );
    expect(chats()).toBe(1);
    expect(outcomes.map((o) => o.result.text)).toEqual(Array(50).fill('the answer'));
    expect(outcomes.filter((o) => o.source === 'coalesced')).toHaveLength(49);
    const again = await through(cache, request('what is a segment'));
    expect(again.source).toBe('near');
    expect(chats()).toBe(1);
  });

  it('forgets an answer the moment a memory source it was built from changes', async () => {
    writeFileSync(join(root, 'notes.md'), '# Budget\n\nEvery call reserves its worst-case cost first.\n');
    const store = await MemoryStore.open({ dir: join(root, '.swarm/memory'), root, background: false });
    try {
      const cache = new ResponseCache();
      cache.attach(store);
      await store.ingest([join(root, 'notes.md')]);
      const context = await memorySearch(store, { query: 'worst-case cost reservation' });
      expect(context.dependencies).toEqual([expect.stringMatching(/^notes\.md#/)]);
      sim.reset();
      const question = request(`${context.text}\n\nHow are budgets reserved?`);
      await through(cache, question, context.dependencies);
      expect((await through(cache, question, context.dependencies)).source).toBe('exact');
      writeFileSync(join(root, 'notes.md'), '# Budget\n\nCalls are never reserved.\n');
      await store.ingest([join(root, 'notes.md')]);
      expect(cache.lookup({ ...callOf(question), tenant: 'default' })).toBeUndefined();
      expect((await through(cache, question, context.dependencies)).source).toBe('upstream');
      expect(chats()).toBe(2);
      expect(cache.stats().invalidated).toBe(1);
    } finally {
      await store.close();
    }
  });
});

function callOf(req: ModelCallRequest) {
  return {
    models: req.models.map((m) => m.ref),
    prompt: req.prompt,
    maxOutputTokens: req.maxOutputTokens,
    temperature: req.temperature,
  };
}
