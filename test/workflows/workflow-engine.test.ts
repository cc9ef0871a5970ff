import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SqliteBackend } from '../../src/engine/sqlite/sqlite-backend.js';
import type { Worker } from '../../src/engine/worker.js';
import { defineTool } from '../../src/tools/tool.js';
import type { WorkflowDefinition } from '../../src/workflows/definition.js';
import { WorkflowEngine } from '../../src/workflows/engine.js';
import { runtimeStepRunner } from '../../src/workflows/runtime-step-runner.js';
import { type Harness, startHarness } from '../support/harness.js';

let h: Harness | undefined;
let worker: Worker | undefined;
let backend: SqliteBackend | undefined;
afterEach(async () => {
  await worker?.stop(1000);
  await backend?.close();
  await h?.close();
  h = undefined;
  worker = undefined;
  backend = undefined;
});

/** Calls per key, so tests can see how often a step really acted. */
const calls = new Map<string, number>();
const record = defineTool({
  name: 'record',
  description: 'records a call and returns its value',
  input: z.object({ key: z.string(), value: z.unknown().optional(), failTimes: z.number().optional() }),
  async execute({ key, value, failTimes }) {
    const n = (calls.get(key) ?? 0) + 1;
    calls.set(key, n);
    if (failTimes !== undefined && n <= failTimes) throw new Error(`planned failure ${n} of ${key}`);
    return value ?? n;
  },
});

async function setup(scenarioRules: unknown[] = []) {
  calls.clear();
  h = await startHarness({
    agents: { writer: {}, judge: {} },
    tools: [record],
    scenario: { rules: scenarioRules as never },
  });
  backend = new SqliteBackend(join(h.dir, 'engine.db'));
  const engine = await WorkflowEngine.open(backend, runtimeStepRunner(h.runtime), {
    events: h.runtime.events,
    leaseMs: 2000,
  });
  worker = engine.worker(2).start();
  return engine;
}

const wf = (steps: unknown[], input: Record<string, unknown> = {}) =>
  ({ name: 'test-flow', input, steps }) as unknown as WorkflowDefinition;

describe('workflows on the embedded engine', () => {
  it('runs tool and agent steps in dependency order, passing outputs through templates', async () => {
    const engine = await setup([
      { match: { system: 'You are writer' }, reply: { content: 'notes about {{lastUser}}' } },
    ]);
    const runId = await engine.start(
      wf([
        { id: 'gather', tool: 'record', args: { key: 'gather', value: 'three files' } },
        { id: 'draft', agent: 'writer', task: 'Summarise: ${{ steps.gather.output }}', needs: ['gather'] },
      ]),
    );
    const run = await engine.settled(runId);
    expect(run.status).toBe('succeeded');
    const { steps } = await engine.status(runId);
    expect(steps.get('draft')?.output).toBe('notes about Summarise: three files');
    h!.runtime.store.flush();
    const stored = h!.runtime.store.getRun(runId);
    expect(stored.run.status).toBe('succeeded');
    expect(stored.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['gather', 'succeeded'],
      ['draft', 'succeeded'],
    ]);
    expect(stored.nodes.map((n) => n.agent)).toEqual(['workflow:test-flow', 'writer']);
    expect(stored.nodes[1]!.parentId).toBe(stored.nodes[0]!.id);
  });

  it('branches on a condition and skips the side not taken, then joins', async () => {
    const engine = await setup([
      { match: { system: 'You are judge' }, reply: { content: '{"verdict": "approve"}' } },
    ]);
    const runId = await engine.start(
      wf([
        { id: 'review', tool: 'record', args: { key: 'review', value: { verdict: 'approve' } } },
        {
          id: 'decide',
          needs: ['review'],
          branch: {
            if: { '==': [{ var: 'steps.review.output.verdict' }, 'approve'] },
            // biome-ignore lint/suspicious/noThenProperty: the workflow field, a list of step ids
            then: ['merge'],
            else: ['fix'],
          },
        },
        { id: 'merge', tool: 'record', args: { key: 'merge' } },
        { id: 'fix', tool: 'record', args: { key: 'fix' } },
        { id: 'after-fix', tool: 'record', args: { key: 'after-fix' }, needs: ['fix'] },
        { id: 'report', tool: 'record', args: { key: 'report' }, needs: ['merge', 'fix'] },
      ]),
    );
    expect((await engine.settled(runId)).status).toBe('succeeded');
    const { steps } = await engine.status(runId);
    expect(steps.get('merge')?.status).toBe('succeeded');
    expect(steps.get('fix')?.status).toBe('skipped');
    expect(steps.get('after-fix')?.status).toBe('skipped');
    expect(steps.get('report')?.status).toBe('succeeded');
    expect(calls.get('fix')).toBeUndefined();
  });

  it('fans out over a list and joins the results in order', async () => {
    const engine = await setup();
    const items = Array.from({ length: 12 }, (_, i) => `item-${i}`);
    const runId = await engine.start(
      wf(
        [
          {
            id: 'fan',
            foreach: 'input.items',
            do: { tool: 'record', args: { key: '${{ item }}', value: '${{ item }}!' } },
          },
          {
            id: 'join',
            tool: 'record',
            args: { key: 'join', value: '${{ steps.fan.output }}' },
            needs: ['fan'],
          },
        ],
        { items },
      ),
    );
    expect((await engine.settled(runId)).status).toBe('succeeded');
    const { steps } = await engine.status(runId);
    expect(steps.get('fan')?.output).toEqual(items.map((i) => `${i}!`));
    expect(steps.get('join')?.output).toEqual(items.map((i) => `${i}!`));
    for (const item of items) expect(calls.get(item)).toBe(1);
  });

  it('loops until a condition holds, within its bound', async () => {
    const engine = await setup();
    const runId = await engine.start(
      wf([
        {
          id: 'poll',
          loop: {
            max: 10,
            until: { '>=': [{ var: 'last' }, 3] },
            do: { tool: 'record', args: { key: 'poll' } },
          },
        },
        { id: 'capped', loop: { max: 2, until: false, do: { tool: 'record', args: { key: 'capped' } } } },
      ]),
    );
    expect((await engine.settled(runId)).status).toBe('succeeded');
    const { steps } = await engine.status(runId);
    expect(steps.get('poll')).toMatchObject({ status: 'succeeded', output: 3, total: 3 });
    expect(calls.get('capped')).toBe(2);
  });

  it('waits for a human approval and continues once approved', async () => {
    const engine = await setup();
    const runId = await engine.start(
      wf([
        { id: 'prepare', tool: 'record', args: { key: 'prepare' } },
        { id: 'ok', approval: { message: 'Ship it?' }, needs: ['prepare'] },
        { id: 'ship', tool: 'record', args: { key: 'ship' }, needs: ['ok'] },
      ]),
    );
    expect((await engine.settled(runId)).status).toBe('waiting');
    expect(calls.get('ship')).toBeUndefined();
    await engine.approve(runId, 'ok', { approved: true, by: 'ana' });
    expect((await engine.settled(runId)).status).toBe('succeeded');
    expect(calls.get('ship')).toBe(1);
    await expect(engine.approve(runId, 'ok', { approved: true })).rejects.toThrow(
      /is succeeded, not waiting/,
    );
  });

  it('fails the run when a step is rejected', async () => {
    const engine = await setup();
    const runId = await engine.start(
      wf([
        { id: 'gate', approval: { message: 'Proceed?' } },
        { id: 'next', tool: 'record', args: { key: 'n' }, needs: ['gate'] },
      ]),
    );
    await engine.settled(runId);
    const run = await engine.approve(runId, 'gate', { approved: false, by: 'bo', note: 'not now' });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/rejected by bo: not now/);
  });

  it('retries a failing step up to its limit, then fails the run with the error', async () => {
    const engine = await setup();
    const retried = await engine.start(
      wf([{ id: 'flaky', tool: 'record', args: { key: 'flaky', failTimes: 2 }, retries: 2 }]),
      {
        runId: 'run_retry_ok',
      },
    );
    // the worker backs off 1 s, then 2 s between deliveries
    expect((await engine.settled(retried)).status).toBe('succeeded');
    expect(calls.get('flaky')).toBe(3);
    const doomed = await engine.start(
      wf([
        { id: 'broken', tool: 'record', args: { key: 'broken', failTimes: 99 }, retries: 0 },
        { id: 'never', tool: 'record', args: { key: 'never' }, needs: ['broken'] },
      ]),
    );
    const run = await engine.settled(doomed);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/step "broken" failed: planned failure 1 of broken/);
    expect(calls.get('never')).toBeUndefined();
  }, 20_000);
});
