import { join } from 'node:path';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ClaimedTask } from '../../src/engine/backend.js';
import { SqliteBackend } from '../../src/engine/sqlite/sqlite-backend.js';
import { Worker } from '../../src/engine/worker.js';
import { clearRunTraces, type Observability, startObservability } from '../../src/observe/index.js';
import { defineTool } from '../../src/tools/tool.js';
import type { WorkflowDefinition } from '../../src/workflows/definition.js';
import { WorkflowEngine } from '../../src/workflows/engine.js';
import { runtimeStepRunner } from '../../src/workflows/runtime-step-runner.js';
import { type Harness, startHarness } from '../support/harness.js';

let h: Harness | undefined;
let obs: Observability | undefined;
let backend: SqliteBackend | undefined;
let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop(1000)));
  workers = [];
  await obs?.close();
  await backend?.close();
  await h?.close();
  obs = undefined;
  backend = undefined;
  h = undefined;
});

/** Returns once two calls are inside it at the same time, so two parallel steps need two workers. */
function barrier() {
  let waiting: (() => void)[] = [];
  return defineTool({
    name: 'barrier',
    description: 'waits for a second caller',
    input: z.object({ name: z.string() }),
    async execute({ name }) {
      await new Promise<void>((resolve, reject) => {
        waiting.push(resolve);
        if (waiting.length === 2) {
          for (const w of waiting) w();
          waiting = [];
        }
        setTimeout(() => reject(new Error('no second caller within 20 s')), 20_000).unref();
      });
      return `${name} passed`;
    },
  });
}

const scenario = {
  rules: [
    { match: { system: 'You are writer', lastToolResult: 'helped' }, reply: { content: 'summary written' } },
    {
      match: { system: 'You are writer' },
      reply: {
        toolCalls: [{ name: 'delegate_to_helper', arguments: { task: 'collect facts' } }],
        usage: { promptTokens: 50, completionTokens: 5 },
      },
    },
    {
      match: { system: 'You are helper' },
      reply: { content: 'helped', usage: { promptTokens: 30, completionTokens: 3 } },
    },
  ],
};

const workflow = {
  name: 'traced',
  steps: [
    { id: 'a', tool: 'barrier', args: { name: 'a' } },
    { id: 'b', tool: 'barrier', args: { name: 'b' } },
    { id: 'draft', agent: 'writer', task: 'Summarise ${{ steps.a.output }}', needs: ['a', 'b'] },
  ],
} as unknown as WorkflowDefinition;

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

describe('tracing', () => {
  it('builds one trace of a workflow run by two workers: run, steps, agents, agent steps, model and tool calls', async () => {
    h = await startHarness({
      agents: { writer: { delegates: ['helper'] }, helper: {} },
      tools: [barrier()],
      config: { prices: { 'sim:sim-model': { input: 1, output: 2 } } },
      scenario,
    });
    const exporter = new InMemorySpanExporter();
    obs = await startObservability({
      events: h.runtime.events,
      config: { ...h.runtime.config, audit: { enabled: false, file: 'unused' } },
      tools: h.runtime.tools,
      tracing: { exporters: [exporter], exportEachSpan: true },
    });
    backend = new SqliteBackend(join(h.dir, 'engine.db'));
    const claimedBy: [string, string, Record<string, string>][] = [];
    for (const name of ['A', 'B']) {
      const engine = await WorkflowEngine.open(backend, runtimeStepRunner(h.runtime), {
        events: h.runtime.events,
        leaseMs: 10_000,
      });
      workers.push(
        new Worker({
          queue: engine.queue,
          handler: engine.handle,
          concurrency: 1,
          claimWaitMs: 50,
          events: {
            claimed: (t: ClaimedTask) =>
              claimedBy.push([name, (t.payload as { stepId: string }).stepId, t.headers]),
          },
        }).start(),
      );
    }
    const starter = await WorkflowEngine.open(backend, runtimeStepRunner(h.runtime), {
      events: h.runtime.events,
    });
    const runId = await starter.start(workflow);
    expect((await starter.settled(runId)).status).toBe('succeeded');
    await obs.tracing!.forceFlush();
    const spans = exporter.getFinishedSpans();

    // both workers took a step, and every task carried the run's trace context
    expect(new Set(claimedBy.map(([w]) => w))).toEqual(new Set(['A', 'B']));
    for (const [, , headers] of claimedBy)
      expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const one = (name: string) => {
      const found = spans.filter((s) => s.name === name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const run = one('swarm.run');
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([run.spanContext().traceId]));
    expect(parentOf(run)).toBeUndefined();
    expect(run.attributes['swarm.run_id']).toBe(runId);
    for (const [, , headers] of claimedBy)
      expect(headers.traceparent).toBe(`00-${run.spanContext().traceId}-${run.spanContext().spanId}-01`);

    const step = (id: string) => one(`swarm.workflow.step ${id}`);
    for (const id of ['a', 'b', 'draft']) expect(parentOf(step(id)), id).toBe(run.spanContext().spanId);
    const barrierSpans = spans.filter((s) => s.name === 'execute_tool barrier');
    expect(barrierSpans.map(parentOf).sort()).toEqual(
      [step('a').spanContext().spanId, step('b').spanContext().spanId].sort(),
    );

    const writer = one('invoke_agent writer');
    expect(parentOf(writer)).toBe(step('draft').spanContext().spanId);
    expect(writer.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'swarm.run_id': runId,
      'swarm.agent.path': 'writer',
      'swarm.depth': 1,
    });
    expect(writer.attributes['swarm.task.fingerprint']).toMatch(/^[0-9a-f]{12}$/);
    const writerSteps = spans
      .filter((s) => s.name === 'swarm.agent.step writer')
      .sort((x, y) => Number(x.attributes['swarm.step']) - Number(y.attributes['swarm.step']));
    expect(writerSteps).toHaveLength(2);
    for (const s of writerSteps) expect(parentOf(s)).toBe(writer.spanContext().spanId);

    const helper = one('invoke_agent helper');
    expect(parentOf(helper)).toBe(writerSteps[0]!.spanContext().spanId);
    expect(helper.attributes).toMatchObject({ 'swarm.agent.path': 'writer/helper', 'swarm.depth': 2 });
    expect(parentOf(one('execute_tool delegate_to_helper'))).toBe(writerSteps[0]!.spanContext().spanId);

    const chats = spans.filter((s) => s.name === 'chat sim-model');
    expect(chats).toHaveLength(3);
    const writerFirstChat = chats.find((c) => parentOf(c) === writerSteps[0]!.spanContext().spanId)!;
    expect(writerFirstChat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'sim',
      'gen_ai.system': 'sim',
      'gen_ai.request.model': 'sim-model',
      'gen_ai.usage.input_tokens': 50,
      'gen_ai.usage.output_tokens': 5,
      'swarm.agent.path': 'writer',
    });
    expect(writerFirstChat.attributes['swarm.cost_usd']).toBeCloseTo((50 * 1 + 5 * 2) / 1e6, 12);
    const helperChat = chats.find((c) => c.attributes['swarm.agent.path'] === 'writer/helper')!;
    expect(parentOf(helperChat)).toBe(one('swarm.agent.step helper').spanContext().spanId);
    expect(helperChat.attributes['gen_ai.usage.input_tokens']).toBe(30);
    expect(parentOf(chats.find((c) => c !== writerFirstChat && c !== helperChat)!)).toBe(
      writerSteps[1]!.spanContext().spanId,
    );

    // children lie within their parents in time
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    for (const s of spans) {
      const parent = byId.get(parentOf(s) ?? '');
      if (!parent) continue;
      expect(ms(s.startTime), s.name).toBeGreaterThanOrEqual(ms(parent.startTime) - 1);
      expect(ms(s.endTime), s.name).toBeLessThanOrEqual(ms(parent.endTime) + 1);
    }
  });

  it('traces a single-agent run: the run span is the root and the agent its child', async () => {
    h = await startHarness({ agents: { solo: {} }, scenario: { rules: [{ reply: { content: 'hi' } }] } });
    const exporter = new InMemorySpanExporter();
    obs = await startObservability({
      events: h.runtime.events,
      config: { ...h.runtime.config, audit: { enabled: false, file: 'unused' } },
      tracing: { exporters: [exporter], exportEachSpan: true },
    });
    const outcome = await h.run('solo', 'say hi');
    expect(outcome.outcome).toBe('succeeded');
    const spans = exporter.getFinishedSpans();
    const run = spans.find((s) => s.name === 'swarm.run')!;
    const agent = spans.find((s) => s.name === 'invoke_agent solo')!;
    expect(parentOf(run)).toBeUndefined();
    expect(parentOf(agent)).toBe(run.spanContext().spanId);
    expect(run.attributes).toMatchObject({ 'swarm.run_id': outcome.runId, 'swarm.outcome': 'succeeded' });
    expect(spans.map((s) => s.name).sort()).toEqual(
      ['chat sim-model', 'invoke_agent solo', 'swarm.agent.step solo', 'swarm.run'].sort(),
    );
  });

  it('keeps the trace of a workflow resumed by a process that never saw it start', async () => {
    h = await startHarness({ agents: { solo: {} }, scenario: { rules: [{ reply: { content: 'hi' } }] } });
    const exporter = new InMemorySpanExporter();
    obs = await startObservability({
      events: h.runtime.events,
      config: { ...h.runtime.config, audit: { enabled: false, file: 'unused' } },
      tracing: { exporters: [exporter], exportEachSpan: true },
    });
    backend = new SqliteBackend(join(h.dir, 'engine.db'));
    const first = await WorkflowEngine.open(backend, runtimeStepRunner(h.runtime), {
      events: h.runtime.events,
    });
    const runId = await first.start({
      name: 'paused',
      steps: [
        { id: 'gate', approval: { message: 'go on?' } },
        { id: 'after', agent: 'solo', task: 'say hi', needs: ['gate'] },
      ],
    } as unknown as WorkflowDefinition);
    const stored = (await first.status(runId)).run.trace;
    expect(stored?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = stored!.traceparent!.split('-')[1];
    // the starting process is gone: nothing in this one remembers the run's trace
    clearRunTraces();
    const later = await WorkflowEngine.open(backend, runtimeStepRunner(h.runtime), {
      events: h.runtime.events,
    });
    workers.push(
      new Worker({ queue: later.queue, handler: later.handle, concurrency: 1, claimWaitMs: 50 }).start(),
    );
    await later.approve(runId, 'gate', { approved: true, by: 'tester' });
    expect((await later.settled(runId)).status).toBe('succeeded');
    await obs.tracing!.forceFlush();
    const spans = exporter.getFinishedSpans();
    const afterStep = spans.find((s) => s.name === 'swarm.workflow.step after')!;
    expect(afterStep.spanContext().traceId).toBe(traceId);
    expect(spans.find((s) => s.name === 'invoke_agent solo')!.spanContext().traceId).toBe(traceId);
    expect(spans.find((s) => s.name === 'swarm.run')!.spanContext().traceId).toBe(traceId);
  });

  it('is off without OTEL_EXPORTER_OTLP_* variables', async () => {
    h = await startHarness({ agents: { solo: {} }, scenario: { rules: [{ reply: { content: 'hi' } }] } });
    obs = await startObservability({
      events: h.runtime.events,
      config: { ...h.runtime.config, audit: { enabled: false, file: 'unused' } },
      env: {},
    });
    expect(obs.tracing).toBeUndefined();
    expect((await h.run('solo', 'say hi')).outcome).toBe('succeeded');
  });
});
