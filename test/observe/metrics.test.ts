import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBackend } from '../../src/engine/sqlite/sqlite-backend.js';
import { SwarmMetrics } from '../../src/observe/index.js';
import { type Harness, startHarness } from '../support/harness.js';
import { parsePrometheus, sampleValue } from '../support/wire-kit.js';

let h: Harness | undefined;
let backend: SqliteBackend | undefined;
afterEach(async () => {
  await backend?.close();
  await h?.close();
  h = undefined;
  backend = undefined;
});

describe('SwarmMetrics', () => {
  it('counts runs, steps, tokens, cost, tools, delegations, errors and reads queue depth and stored runs', async () => {
    h = await startHarness({
      agents: { lead: { delegates: ['helper'], tools: ['read_file'] }, helper: { maxTokens: 100 } },
      config: { prices: { 'sim:sim-model': { input: 1, output: 2 } } },
      scenario: {
        rules: [
          { match: { system: 'You are lead', lastToolResult: 'helped' }, reply: { content: 'all done' } },
          {
            match: { system: 'You are lead', lastToolResult: '.' },
            reply: { toolCalls: [{ name: 'delegate_to_helper', arguments: { task: 'help' } }] },
          },
          {
            match: { system: 'You are lead' },
            reply: {
              toolCalls: [{ name: 'read_file', arguments: { path: 'missing.txt' } }],
              usage: { promptTokens: 40, completionTokens: 4 },
            },
          },
          {
            match: { system: 'You are helper' },
            reply: { content: 'helped', usage: { promptTokens: 100, completionTokens: 10 } },
          },
        ],
      },
    });
    backend = new SqliteBackend(join(h.dir, 'engine.db'));
    const queue = await backend.queue('metrics-q');
    for (const id of ['a', 'b', 'c']) await queue.enqueue({ id, payload: id });
    const claimed = await queue.claim();
    const metrics = new SwarmMetrics({
      queues: () => [queue],
      runCounts: () => h!.runtime.store.countRunsByStatus(),
    });
    metrics.attach(h.runtime.events);

    expect((await h.run('lead', 'work')).outcome).toBe('succeeded');
    // $1/M in, $2/M out; worst case of 100 output tokens at $2/M is far over a budget of $1e-7
    expect((await h.run('helper', 'again', { budget: { usd: 1e-7 } })).outcome).toBe('failed');

    const text = await metrics.render();
    const prom = parsePrometheus(text);
    const v = (name: string, labels: Record<string, string> = {}) => sampleValue(prom, name, labels);
    expect(v('swarm_runs_started_total')).toBe(2);
    expect(v('swarm_runs_finished_total', { outcome: 'succeeded' })).toBe(1);
    expect(v('swarm_runs_finished_total', { outcome: 'failed' })).toBe(1);
    expect(v('swarm_runs_active')).toBe(0);
    expect(v('swarm_runs', { status: 'succeeded' })).toBe(1);
    expect(v('swarm_runs', { status: 'failed' })).toBe(1);
    expect(v('swarm_agent_steps_total', { agent: 'lead' })).toBe(3);
    expect(v('swarm_agent_steps_total', { agent: 'helper' })).toBe(1);
    const modelCalls = h.events.filter((e) => e.type === 'model.call');
    const sum = (f: (d: { inputTokens: number; outputTokens: number; costUsd: number }) => number) =>
      modelCalls.reduce((s, e) => s + (e.type === 'model.call' ? f(e.data) : 0), 0);
    expect(v('swarm_model_calls_total', { model: 'sim:sim-model', outcome: 'ok' })).toBe(modelCalls.length);
    expect(v('swarm_tokens_total', { direction: 'input' })).toBe(sum((d) => d.inputTokens));
    expect(v('swarm_tokens_total', { direction: 'output' })).toBe(sum((d) => d.outputTokens));
    expect(v('swarm_tokens_total', { direction: 'input' })).toBeGreaterThanOrEqual(140);
    expect(v('swarm_cost_usd_total', { model: 'sim:sim-model' })).toBeCloseTo(
      sum((d) => d.costUsd),
      12,
    );
    expect(v('swarm_model_call_duration_seconds_count', { model: 'sim:sim-model' })).toBe(modelCalls.length);
    expect(v('swarm_tool_calls_total', { tool: 'read_file', outcome: 'error' })).toBe(1);
    expect(v('swarm_tool_calls_total', { tool: 'delegate_to_helper', outcome: 'ok' })).toBe(1);
    expect(v('swarm_delegations_total', { agent: 'helper' })).toBe(1);
    expect(v('swarm_guard_trips_total', { guard: 'budget' })).toBe(1);
    expect(v('swarm_errors_total', { class: 'tool_call' })).toBe(1);
    expect(v('swarm_errors_total', { class: 'guard_budget' })).toBe(1);
    expect(v('swarm_errors_total', { class: 'budget_exceeded' })).toBe(1);
    expect(v('swarm_queue_tasks', { queue: 'metrics-q', state: 'ready' })).toBe(2);
    expect(v('swarm_queue_tasks', { queue: 'metrics-q', state: 'leased' })).toBe(1);
    expect(v('swarm_queue_tasks', { queue: 'metrics-q', state: 'dead' })).toBe(0);

    await claimed!.ack();
    const after = parsePrometheus(await metrics.render());
    expect(sampleValue(after, 'swarm_queue_tasks', { queue: 'metrics-q', state: 'leased' })).toBe(0);
    await queue.destroy();
  });
});
