import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { executeRun } from '../../src/agents/run.js';
import { createRuntime, type Runtime } from '../../src/agents/runtime.js';
import { configSchema } from '../../src/core/config.js';
import type { AnyEvent } from '../../src/core/events.js';
import { ResponseCache } from '../../src/memory/index.js';
import { type SimServer, startSim } from '../../src/sim/index.js';
import { chatCount, writeTree } from '../support/harness.js';

/** The runtime as `swarm run` wires it, with memory's response cache passed in. */

let dir: string;
let sim: SimServer;
let runtime: Runtime;
const events: AnyEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-run-cache-'));
  sim = await startSim({
    scenario: { defaults: { latencyMs: 100 }, rules: [{ reply: { content: 'cached answer' } }] },
  });
  const manifest = (name: string, temperature: number) =>
    stringify({
      name,
      description: name,
      instructions: `You are ${name}.`,
      model: 'sim:sim-model',
      temperature,
    });
  writeTree(join(dir, 'agents'), { 'cool.yaml': manifest('cool', 0), 'hot.yaml': manifest('hot', 1) });
  writeTree(join(dir, 'workspace'), { 'README.md': '# fixture\n' });
  const config = {
    ...configSchema.parse({ providers: { sim: { type: 'openai-compatible', baseURL: sim.baseURL } } }),
    store: join(dir, 'swarm.db'),
    agents: join(dir, 'agents'),
    workspace: join(dir, 'workspace'),
    file: undefined,
    root: dir,
  };
  runtime = createRuntime({ config, responseCache: new ResponseCache() });
  runtime.events.subscribe((e) => events.push(e));
});

afterAll(async () => {
  runtime.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (agent: string) =>
  executeRun({ agent, task: 'summarise the readme', events: runtime.events, runner: runtime.runner });

describe('a run with the response cache', { timeout: 120_000 }, () => {
  it('answers a repeated deterministic call from the cache, and records that it did', async () => {
    sim.reset();
    const first = await run('cool');
    const second = await run('cool');
    expect(first.outcome === 'succeeded' && first.output).toBe('cached answer');
    expect(second.outcome === 'succeeded' && second.output).toBe('cached answer');
    expect(chatCount(sim)).toBe(1);
    runtime.store.flush();
    const stored = runtime.store.events(second.runId).map((e) => e.type);
    expect(stored).toContain('model.cached');
    expect(stored).not.toContain('model.call');
  });

  it('sends every call of an agent sampled hot upstream', async () => {
    sim.reset();
    await run('hot');
    await run('hot');
    expect(chatCount(sim)).toBe(2);
  });
});
