import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CircuitOpenError, CycleError, DepthLimitError } from '../../src/core/errors.js';
import { defineTool } from '../../src/tools/tool.js';
import { chatCount, chatRequest, type Harness, startHarness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const toolMessages = (body: { messages: { role: string; content: unknown }[] }) =>
  body.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));

describe('delegation over real HTTP to the simulator', () => {
  it('runs a two-level delegation and records the lineage tree with tokens and cost', async () => {
    h = await startHarness({
      agents: {
        lead: { delegates: ['mid'] },
        mid: { delegates: ['leaf'] },
        leaf: {},
      },
      config: { prices: { 'sim:sim-model': { input: 1, output: 2 } } },
      scenario: {
        rules: [
          {
            match: { system: 'You are lead', lastToolResult: 'leaf says' },
            reply: { content: 'lead done: {{lastToolResult}}' },
          },
          {
            match: { system: 'You are lead' },
            reply: { toolCalls: [{ name: 'delegate_to_mid', arguments: { task: 'middle work' } }] },
          },
          {
            match: { system: 'You are mid', lastToolResult: '.' },
            reply: { content: 'mid relays {{lastToolResult}}' },
          },
          {
            match: { system: 'You are mid' },
            reply: { toolCalls: [{ name: 'delegate_to_leaf', arguments: { task: 'leaf work' } }] },
          },
          {
            match: { system: 'You are leaf' },
            reply: { content: 'leaf says hello', usage: { promptTokens: 100, completionTokens: 10 } },
          },
        ],
      },
    });
    const outcome = await h.run('lead', 'top task');
    expect(outcome.outcome).toBe('succeeded');
    if (outcome.outcome !== 'succeeded') return;
    expect(outcome.output).toBe('lead done: mid relays leaf says hello');
    const { run, nodes } = h.runtime.store.getRun(outcome.runId);
    expect(run.status).toBe('succeeded');
    expect(nodes.map((n) => [n.agent, n.depth, n.status])).toEqual([
      ['lead', 0, 'succeeded'],
      ['mid', 1, 'succeeded'],
      ['leaf', 2, 'succeeded'],
    ]);
    const [lead, mid, leaf] = nodes;
    expect(mid!.parentId).toBe(lead!.id);
    expect(leaf!.parentId).toBe(mid!.id);
    expect(leaf!.inputTokens).toBe(100);
    expect(leaf!.outputTokens).toBe(10);
    // $1 per million input and $2 per million output tokens
    expect(leaf!.costUsd).toBeCloseTo((100 * 1 + 10 * 2) / 1e6, 12);
    expect(run.costUsd).toBeCloseTo(
      nodes.reduce((s, n) => s + n.costUsd, 0),
      12,
    );
    expect(chatCount(h.sim)).toBe(5);
    const kinds = h.runtime.store.events(outcome.runId).map((e) => e.type);
    expect(kinds.filter((k) => k === 'delegation')).toHaveLength(2);
    expect(kinds[0]).toBe('run.started');
    expect(kinds.at(-1)).toBe('run.finished');
  });

  it('refuses a delegation cycle A→B→A with the same task and tells the model, naming the lineage', async () => {
    h = await startHarness({
      agents: { alpha: { delegates: ['beta'] }, beta: { delegates: ['alpha'] } },
      scenario: {
        rules: [
          { match: { system: 'You are alpha', lastToolResult: '.' }, reply: { content: 'alpha gives up' } },
          {
            match: { system: 'You are alpha' },
            reply: { toolCalls: [{ name: 'delegate_to_beta', arguments: { task: 'Fix the bug' } }] },
          },
          {
            match: { system: 'You are beta', lastToolResult: '.' },
            reply: { content: 'beta saw: {{lastToolResult}}' },
          },
          {
            match: { system: 'You are beta' },
            reply: { toolCalls: [{ name: 'delegate_to_alpha', arguments: { task: 'fix the bug.' } }] },
          },
        ],
      },
    });
    const outcome = await h.run('alpha', 'Fix the bug');
    expect(outcome.outcome).toBe('succeeded');
    const refusal = h.events.find((e) => e.type === 'guard.tripped');
    expect(refusal?.type === 'guard.tripped' && refusal.data.guard).toBe('cycle');
    expect(refusal?.agent).toBe('beta');
    const betaSaw = toolMessages(chatRequest(h.sim, 3));
    expect(betaSaw[0]).toMatch(/delegation refused: agent "alpha" is already working on the same task/);
    expect(betaSaw[0]).toMatch(/alpha\[[0-9a-f]{12}\] → beta\[[0-9a-f]{12}\] → alpha\[[0-9a-f]{12}\]/);
    const { nodes } = h.runtime.store.getRun(outcome.runId);
    expect(nodes.map((n) => n.agent)).toEqual(['alpha', 'beta']);
    expect(nodes[1]!.guard).toBe('cycle');
    expect(new CycleError('alpha', 'x').code).toBe('delegation_cycle');
  });

  it('refuses delegation past the depth limit', async () => {
    h = await startHarness({
      agents: { a: { delegates: ['b'] }, b: { delegates: ['c'] }, c: {} },
      scenario: {
        rules: [
          { match: { lastToolResult: '.' }, reply: { content: 'got {{lastToolResult}}' } },
          {
            match: { system: 'You are a' },
            reply: { toolCalls: [{ name: 'delegate_to_b', arguments: { task: 't1' } }] },
          },
          {
            match: { system: 'You are b' },
            reply: { toolCalls: [{ name: 'delegate_to_c', arguments: { task: 't2' } }] },
          },
        ],
      },
    });
    const outcome = await h.run('a', 'go', { maxDepth: 1 });
    expect(outcome.outcome).toBe('succeeded');
    if (outcome.outcome !== 'succeeded') return;
    expect(outcome.output).toMatch(/depth would exceed the limit of 1/);
    expect(h.events.some((e) => e.type === 'guard.tripped' && e.data.guard === 'depth')).toBe(true);
    expect(h.runtime.store.getRun(outcome.runId).nodes.map((n) => n.agent)).toEqual(['a', 'b']);
    expect(new DepthLimitError(1, 'x').guard).toBe('depth');
  });

  it('opens the circuit breaker when a tool fails the same way three times in a row', async () => {
    let calls = 0;
    const flaky = defineTool({
      name: 'flaky',
      description: 'always fails',
      input: z.object({}),
      async execute() {
        calls++;
        throw new Error(`disk quota exceeded on attempt ${calls}`);
      },
    });
    h = await startHarness({
      agents: { worker: { tools: ['flaky'] } },
      tools: [flaky],
      scenario: { rules: [{ reply: { toolCalls: [{ name: 'flaky', arguments: {} }] } }] },
    });
    const outcome = await h.run('worker', 'try it');
    expect(outcome.outcome).toBe('failed');
    if (outcome.outcome === 'succeeded') return;
    expect(outcome.error).toBeInstanceOf(CircuitOpenError);
    expect(calls).toBe(3);
    expect(chatCount(h.sim)).toBe(3);
    const { nodes } = h.runtime.store.getRun(outcome.runId);
    expect(nodes[0]!.guard).toBe('circuit');
  });

  it("returns a throwing tool's error to the model, which carries on", async () => {
    const broken = defineTool({
      name: 'broken',
      description: 'throws',
      input: z.object({ path: z.string() }),
      async execute({ path }) {
        throw new Error(`cannot open ${path}`);
      },
    });
    h = await startHarness({
      agents: { worker: { tools: ['broken'] } },
      tools: [broken],
      scenario: {
        rules: [
          {
            match: { lastToolResult: 'cannot open' },
            reply: { content: 'recovered from: {{lastToolResult}}' },
          },
          { reply: { toolCalls: [{ name: 'broken', arguments: { path: 'x.txt' } }] } },
        ],
      },
    });
    const outcome = await h.run('worker', 'go');
    expect(outcome.outcome).toBe('succeeded');
    if (outcome.outcome !== 'succeeded') return;
    expect(outcome.output).toBe('recovered from: Error: cannot open x.txt');
    const toolEvent = h.events.find((e) => e.type === 'tool.call');
    expect(toolEvent?.type === 'tool.call' && toolEvent.data.ok).toBe(false);
  });

  it('answers malformed tool-call JSON with an error result the model can correct', async () => {
    h = await startHarness({
      agents: { worker: { tools: ['read_file'] } },
      files: { 'notes.txt': 'the answer is 42\n' },
      scenario: {
        rules: [
          { match: { lastToolResult: 'answer is 42' }, reply: { content: 'found it' } },
          {
            match: { lastToolResult: 'not valid JSON' },
            reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] },
          },
          { reply: { toolCalls: [{ name: 'read_file', arguments: '{"path": "notes.txt"' }] } },
        ],
      },
    });
    const outcome = await h.run('worker', 'read the notes');
    expect(outcome.outcome).toBe('succeeded');
    expect(toolMessages(chatRequest(h.sim, 2))[0]).toMatch(/arguments for read_file are not valid JSON/);
    expect(chatCount(h.sim)).toBe(3);
  });

  it('validates structured output and asks again when it does not match the schema', async () => {
    h = await startHarness({
      agents: {
        judge: {
          output: {
            schema: {
              type: 'object',
              properties: {
                verdict: { type: 'string', enum: ['approve', 'reject'] },
                score: { type: 'number' },
              },
              required: ['verdict', 'score'],
            },
          },
        },
      },
      scenario: {
        rules: [
          { times: 1, reply: { content: '{"verdict": "maybe"}' } },
          { reply: { content: 'Here you go:\n```json\n{"verdict": "approve", "score": 0.9}\n```' } },
        ],
      },
    });
    const outcome = await h.run('judge', 'judge this');
    expect(outcome.outcome).toBe('succeeded');
    if (outcome.outcome !== 'succeeded') return;
    expect(outcome.structured).toEqual({ verdict: 'approve', score: 0.9 });
    const first = chatRequest(h.sim, 1) as unknown as { response_format?: { type: string } };
    expect(first.response_format?.type).toBe('json_schema');
    const second = chatRequest(h.sim, 2).messages.at(-1);
    expect(String(second?.content)).toMatch(/does not match the required JSON schema/);
  });
});
