import { afterEach, describe, expect, it } from 'vitest';
import { BudgetExceededError, CancelledError, DeadlineExceededError } from '../../src/core/errors.js';
import { ModelCallError, ModelStreamError } from '../../src/models/errors.js';
import { chatCount, type Harness, startHarness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const solo = { solo: {} };

describe('model calls over real HTTP to the simulator', () => {
  it('streams the answer in pieces and reports the whole text', async () => {
    const text = 'Streaming works: this sentence arrives in several chunks over SSE.';
    h = await startHarness({
      agents: solo,
      scenario: { rules: [{ reply: { content: text, chunkSize: 5, chunkDelayMs: 2 } }] },
    });
    const outcome = await h.run('solo', 'talk');
    expect(outcome.outcome === 'succeeded' && outcome.output).toBe(text);
    const deltas = h.events.flatMap((e) => (e.type === 'model.delta' ? [e.data.text] : []));
    expect(deltas.length).toBeGreaterThanOrEqual(Math.ceil(text.length / 5));
    expect(deltas.join('')).toBe(text);
    // deltas are live-only: none reach the store
    expect(h.runtime.store.events(outcome.runId).some((e) => e.type === 'model.delta')).toBe(false);
    const body = h.sim.requests()[0]?.body as {
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
    };
    expect(body.stream).toBe(true);
    expect(body.stream_options?.include_usage).toBe(true);
  });

  it("retries a 429 after the server's retry-after", async () => {
    h = await startHarness({
      agents: solo,
      scenario: {
        rules: [
          { times: 1, fault: { type: 'http', status: 429, retryAfter: 1 } },
          { reply: { content: 'ok after waiting' } },
        ],
      },
    });
    const started = Date.now();
    const outcome = await h.run('solo', 'hi');
    expect(outcome.outcome === 'succeeded' && outcome.output).toBe('ok after waiting');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const retry = h.events.find((e) => e.type === 'model.retry');
    expect(retry?.type === 'model.retry' && retry.data.delayMs).toBe(1000);
    expect(chatCount(h.sim)).toBe(2);
  });

  it('retries a 500 with backoff, then gives up with a clear error', async () => {
    h = await startHarness({ agents: solo, scenario: { rules: [{ fault: { type: 'http', status: 500 } }] } });
    const outcome = await h.run('solo', 'hi');
    expect(outcome.outcome).toBe('failed');
    if (outcome.outcome === 'succeeded') return;
    expect(outcome.error).toBeInstanceOf(ModelCallError);
    expect((outcome.error as Error).message).toMatch(/HTTP 500/);
    expect(chatCount(h.sim)).toBe(3);
  });

  it('does not retry a 400 but falls back to the next model', async () => {
    h = await startHarness({
      agents: { solo: { model: ['sim:sim-model', 'sim:backup'] } },
      scenario: {
        models: ['sim-model', 'backup'],
        rules: [
          {
            match: { model: 'sim-model' },
            fault: { type: 'http', status: 400, message: 'context too long' },
          },
          { match: { model: 'backup' }, reply: { content: 'from the backup' } },
        ],
      },
    });
    const outcome = await h.run('solo', 'hi');
    expect(outcome.outcome === 'succeeded' && outcome.output).toBe('from the backup');
    expect(chatCount(h.sim)).toBe(2);
    const fallback = h.events.find((e) => e.type === 'model.fallback');
    expect(fallback?.type === 'model.fallback' && fallback.data.to).toBe('sim:backup');
  });

  it('fails the step when the stream is cut mid-answer and reports nothing half-written', async () => {
    h = await startHarness({
      agents: solo,
      scenario: {
        rules: [
          {
            reply: { content: 'a long answer that will never be finished', chunkSize: 4 },
            fault: { type: 'cut', afterChunks: 3 },
          },
        ],
      },
    });
    const outcome = await h.run('solo', 'hi');
    expect(outcome.outcome).toBe('failed');
    if (outcome.outcome === 'succeeded') return;
    expect(outcome.error).toBeInstanceOf(ModelStreamError);
    const { run, nodes } = h.runtime.store.getRun(outcome.runId);
    expect(run.status).toBe('failed');
    expect(run.output).toBeNull();
    expect(nodes[0]!.status).toBe('failed');
    expect(nodes[0]!.output).toBeNull();
    const calls = h.events.filter((e) => e.type === 'model.call');
    expect(calls.length).toBe(3);
    expect(calls.every((c) => c.type === 'model.call' && !c.data.ok)).toBe(true);
  });

  it('refuses a call whose worst case would overspend, before sending it', async () => {
    h = await startHarness({
      agents: { solo: { maxTokens: 1000 } },
      config: { prices: { 'sim:sim-model': { input: 10, output: 30 } } },
      scenario: { rules: [{ reply: { content: 'never sent' } }] },
    });
    // worst case output alone is 1000 tokens at $30/M = $0.03
    const outcome = await h.run('solo', 'hi', { budget: { usd: 0.02 } });
    expect(outcome.outcome).toBe('failed');
    if (outcome.outcome === 'succeeded') return;
    expect(outcome.error).toBeInstanceOf(BudgetExceededError);
    expect(chatCount(h.sim)).toBe(0);
    expect(h.runtime.store.getRun(outcome.runId).nodes[0]!.guard).toBe('budget');
  });

  it('stops mid-run before the call that would overspend the token budget', async () => {
    h = await startHarness({
      agents: { solo: { tools: ['list_files'], maxTokens: 200 } },
      scenario: {
        rules: [
          {
            reply: {
              toolCalls: [{ name: 'list_files', arguments: {} }],
              usage: { promptTokens: 300, completionTokens: 20 },
            },
          },
        ],
      },
    });
    const outcome = await h.run('solo', 'loop', { budget: { tokens: 1400 } });
    expect(outcome.outcome).toBe('failed');
    if (outcome.outcome === 'succeeded') return;
    expect(outcome.error).toBeInstanceOf(BudgetExceededError);
    const spent = h.events.reduce(
      (s, e) => (e.type === 'model.call' ? s + e.data.inputTokens + e.data.outputTokens : s),
      0,
    );
    expect(spent).toBeLessThanOrEqual(1400);
    expect(chatCount(h.sim)).toBeGreaterThanOrEqual(2);
    expect(h.events.filter((e) => e.type === 'model.call')).toHaveLength(chatCount(h.sim));
  });

  it('aborts an in-flight call when the deadline passes', async () => {
    h = await startHarness({ agents: solo, scenario: { rules: [{ fault: { type: 'stall' } }] } });
    const started = Date.now();
    const outcome = await h.run('solo', 'hi', { timeoutSeconds: 0.3 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(outcome.outcome).toBe('failed');
    if (outcome.outcome === 'succeeded') return;
    expect(outcome.error).toBeInstanceOf(DeadlineExceededError);
  });

  it('cancelling the run aborts the streaming call of a delegated child', async () => {
    h = await startHarness({
      agents: { boss: { delegates: ['slow'] }, slow: {} },
      scenario: {
        rules: [
          {
            match: { system: 'You are boss' },
            reply: { toolCalls: [{ name: 'delegate_to_slow', arguments: { task: 'think' } }] },
          },
          {
            match: { system: 'You are slow' },
            reply: { content: 'thinking hard...', chunkSize: 4 },
            fault: { type: 'stall', afterChunks: 3 },
          },
        ],
      },
    });
    const controller = new AbortController();
    const seenChild = new Promise<void>((resolve) => {
      h!.runtime.events.subscribe((e) => {
        if (e.type === 'model.delta' && e.agent === 'slow') resolve();
      });
    });
    const running = h.run('boss', 'go', { signal: controller.signal });
    await seenChild;
    controller.abort(new Error('Ctrl-C'));
    const outcome = await running;
    expect(outcome.outcome).toBe('cancelled');
    if (outcome.outcome === 'succeeded') return;
    expect(outcome.error).toBeInstanceOf(CancelledError);
    const { run, nodes } = h.runtime.store.getRun(outcome.runId);
    expect(run.status).toBe('cancelled');
    expect(nodes.map((n) => n.status)).toEqual(['cancelled', 'cancelled']);
  });
});
