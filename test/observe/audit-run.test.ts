import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SqliteBackend } from '../../src/engine/sqlite/sqlite-backend.js';
import type { Worker } from '../../src/engine/worker.js';
import {
  type AuditRecord,
  type Observability,
  startObservability,
  verifyAuditLog,
} from '../../src/observe/index.js';
import { defineTool } from '../../src/tools/tool.js';
import type { WorkflowDefinition } from '../../src/workflows/definition.js';
import { WorkflowEngine } from '../../src/workflows/engine.js';
import { runtimeStepRunner } from '../../src/workflows/runtime-step-runner.js';
import { type Harness, startHarness } from '../support/harness.js';
import { swarmProcess } from './swarm-process.js';

let h: Harness | undefined;
let obs: Observability | undefined;
let backend: SqliteBackend | undefined;
let worker: Worker | undefined;
afterEach(async () => {
  await worker?.stop(1000);
  await obs?.close();
  await backend?.close();
  await h?.close();
  worker = undefined;
  obs = undefined;
  backend = undefined;
  h = undefined;
});

const notes: string[] = [];
const writeNote = defineTool({
  name: 'write_note',
  description: 'appends a note',
  input: z.object({ text: z.string() }),
  sideEffects: true,
  async execute({ text }) {
    notes.push(text);
    return 'noted';
  },
});

const records = (file: string): AuditRecord[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

async function observe(harness: Harness): Promise<{ obs: Observability; file: string }> {
  const file = join(harness.dir, 'audit', 'audit.jsonl');
  const o = await startObservability({
    events: harness.runtime.events,
    config: { ...harness.runtime.config, audit: { enabled: true, file } },
    tools: harness.runtime.tools,
    env: {},
  });
  return { obs: o, file };
}

/** A workflow engine on SQLite with one worker, both closed after the test. */
async function startEngine(harness: Harness): Promise<WorkflowEngine> {
  backend = new SqliteBackend(join(harness.dir, 'engine.db'));
  const engine = await WorkflowEngine.open(backend, runtimeStepRunner(harness.runtime), {
    events: harness.runtime.events,
    leaseMs: 5000,
  });
  worker = engine.worker(1).start();
  return engine;
}

describe('decision audit log of real runs', () => {
  it('records delegations, side-effect tool calls and budget refusals, not read-only calls', async () => {
    h = await startHarness({
      agents: {
        lead: { delegates: ['helper'], tools: ['write_note', 'read_file'] },
        helper: { maxTokens: 100 },
      },
      tools: [writeNote],
      config: { prices: { 'sim:sim-model': { input: 1, output: 2 } } },
      files: { 'README.md': '# readme\n' },
      scenario: {
        rules: [
          { match: { system: 'You are lead', lastToolResult: 'readme' }, reply: { content: 'finished' } },
          {
            match: { system: 'You are lead', lastToolResult: 'helped' },
            reply: {
              toolCalls: [
                { name: 'write_note', arguments: { text: 'ship it' } },
                { name: 'read_file', arguments: { path: 'README.md' } },
              ],
            },
          },
          {
            match: { system: 'You are lead' },
            reply: { toolCalls: [{ name: 'delegate_to_helper', arguments: { task: 'check the tests' } }] },
          },
          { match: { system: 'You are helper' }, reply: { content: 'helped' } },
        ],
      },
    });
    const observed = await observe(h);
    obs = observed.obs;
    const done = await h.run('lead', 'release the build');
    expect(done.outcome).toBe('succeeded');
    // the worst case of 100 output tokens at $2/M is over a budget of $1e-7: refused before sending
    const refused = await h.run('helper', 'one more', { budget: { usd: 1e-7 } });
    expect(refused.outcome).toBe('failed');
    await obs.close();
    obs = undefined;

    const log = records(observed.file);
    expect(log.map((r) => [r.seq, r.kind, r.actor, r.runId])).toEqual([
      [1, 'delegation', 'lead', done.runId],
      [2, 'tool.call', 'lead', done.runId],
      [3, 'budget.refusal', 'helper', refused.runId],
    ]);
    expect(log[0]!.data).toMatchObject({ to: 'helper', task: 'check the tests', depth: 0 });
    expect(log[1]!.data).toMatchObject({ tool: 'write_note', ok: true, result: 'noted' });
    expect(JSON.parse(String(log[1]!.data.args))).toEqual({ text: 'ship it' });
    expect(log[2]!.data).toMatchObject({ guard: 'budget' });
    expect(String(log[2]!.data.message)).toMatch(/budget exhausted/);
    expect(notes).toContain('ship it');
    expect(verifyAuditLog(observed.file)).toMatchObject({ ok: true, records: 3 });
  });

  it('records the approval of a waiting workflow step and side-effect tool steps', async () => {
    h = await startHarness({ agents: {}, tools: [writeNote], scenario: { rules: [] } });
    const observed = await observe(h);
    obs = observed.obs;
    const engine = await startEngine(h);
    const runId = await engine.start({
      name: 'gated',
      steps: [
        { id: 'gate', approval: { message: 'ship?' } },
        { id: 'note', tool: 'write_note', args: { text: 'approved note' }, needs: ['gate'] },
      ],
    } as unknown as WorkflowDefinition);
    expect((await engine.settled(runId)).status).toBe('waiting');
    await engine.approve(runId, 'gate', { approved: true, by: 'ana', note: 'release window open' });
    expect((await engine.settled(runId)).status).toBe('succeeded');
    await obs.close();
    obs = undefined;
    const log = records(observed.file);
    expect(log.map((r) => [r.kind, r.actor, r.runId])).toEqual([
      ['approval', 'ana', runId],
      ['tool.call', 'workflow', runId],
    ]);
    expect(log[0]!.data).toMatchObject({ stepId: 'gate', approved: true, note: 'release window open' });
    expect(log[1]!.data).toMatchObject({ tool: 'write_note', ok: true });
  });
});

describe('budget refusals between workflow steps', () => {
  it('records the refusal of a step whose run has spent its budget', async () => {
    h = await startHarness({
      agents: { writer: { maxTokens: 50 } },
      // the server reports far more tokens than the worst case reserved: the run ends up over budget
      scenario: {
        rules: [{ reply: { content: 'draft', usage: { promptTokens: 3000, completionTokens: 5 } } }],
      },
    });
    const observed = await observe(h);
    obs = observed.obs;
    const engine = await startEngine(h);
    const runId = await engine.start(
      {
        name: 'costly',
        steps: [
          { id: 'first', agent: 'writer', task: 'write' },
          { id: 'second', agent: 'writer', task: 'write more', needs: ['first'] },
        ],
      } as unknown as WorkflowDefinition,
      { budget: { tokens: 2000 } },
    );
    const run = await engine.settled(runId);
    expect(run.status).toBe('failed');
    await obs.close();
    obs = undefined;
    const log = records(observed.file);
    expect(log.map((r) => [r.kind, r.actor, r.runId])).toEqual([
      ['budget.refusal', 'workflow:costly', runId],
    ]);
    expect(String(log[0]!.data.message)).toMatch(/^step "second": the run's budget is spent/);
  });
});

const swarm = (args: string[], cwd: string) => swarmProcess(args, cwd).done;

describe('swarm audit verify', () => {
  it('passes an intact log, names the tampered record with exit 1, and explains a missing log', async () => {
    h = await startHarness({ agents: {}, scenario: { rules: [] } });
    const { obs: o, file } = await observe(h);
    for (let i = 0; i < 3; i++)
      o.audit!.append({ kind: 'delegation', runId: 'run_x', actor: 'lead', data: { to: `a${i}` } });
    await o.close();
    const tampered = join(h.dir, 'tampered.jsonl');
    writeFileSync(tampered, readFileSync(file, 'utf8').replace('"a1"', '"b1"'));
    const [intact, broken, asJson, missing] = await Promise.all([
      swarm(['audit', 'verify', file], h.dir),
      swarm(['audit', 'verify', tampered], h.dir),
      swarm(['audit', 'verify', tampered, '--json'], h.dir),
      swarm(['audit', 'verify'], h.dir),
    ]);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/✓ audit\/audit\.jsonl: 3 records, chain intact, head seq 3 [0-9a-f]{64}/);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('line 2 (seq 2): altered: record seq 2 (delegation) was changed');
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      ok: false,
      records: 3,
      problems: [{ kind: 'altered', line: 2, seq: 2 }],
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/error: no audit log at .*\.swarm\/audit\.jsonl/);
    expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/);
  }, 60_000);
});
