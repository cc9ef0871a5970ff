import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../src/agents/index.js';
import { WORKERS_BUCKET, Worker, WorkerRegistry } from '../../src/engine/index.js';
import { type ServerHarness, startServerHarness, until } from '../support/server-harness.js';
import { APPROVAL_WORKFLOW, delegationAgents, delegationScenario } from './scenarios.js';

let s: ServerHarness;

beforeAll(async () => {
  s = await startServerHarness({
    agents: delegationAgents,
    scenario: delegationScenario(20),
    config: { prices: { 'sim:sim-model': { input: 1, output: 2 } } },
    workflowFiles: { 'release.yaml': APPROVAL_WORKFLOW },
  });
});
afterAll(async () => {
  await s?.close();
});

const finished = (runId: string) =>
  until(async () => {
    const { body } = await s.api(`/api/runs/${runId}`);
    return body?.run?.status !== 'running' && body?.run ? body : undefined;
  }, `run ${runId} to finish`);

describe('runs', () => {
  it('starts a run, shows its lineage tree with tokens and cost, and lists it', async () => {
    const start = await s.api('/api/runs', { method: 'POST', json: { agent: 'lead', task: 'top task' } });
    expect(start.status).toBe(202);
    const runId = start.body.runId as string;
    const detail = await finished(runId);
    expect(detail.run.status).toBe('succeeded');
    expect(detail.run.output).toBe('lead done: mid relays leaf says hello');
    const [root] = detail.tree;
    expect(root.node.agent).toBe('lead');
    expect(root.children[0].node.agent).toBe('mid');
    expect(root.children[0].children[0].node.agent).toBe('leaf');
    expect(root.children[0].children[0].node.inputTokens).toBe(100);
    // $1 per million input tokens, $2 per million output tokens
    expect(root.children[0].children[0].node.costUsd).toBeCloseTo((100 * 1 + 10 * 2) / 1e6, 12);
    const nodeSum = detail.nodes.reduce((acc: number, n: { costUsd: number }) => acc + n.costUsd, 0);
    expect(detail.run.costUsd).toBeCloseTo(nodeSum, 12);
    const list = await s.api('/api/runs?limit=5');
    expect(list.body.runs.map((r: { id: string }) => r.id)).toContain(runId);
    const prefix = await s.api(`/api/runs/${runId.slice(0, -3)}`);
    expect(prefix.body.run.id).toBe(runId);
  });

  it('answers unknown run ids with a 404 JSON error on every run endpoint', async () => {
    for (const [method, path] of [
      ['GET', '/api/runs/run_doesnotexist'],
      ['POST', '/api/runs/run_doesnotexist/cancel'],
      ['GET', '/api/runs/run_doesnotexist/events'],
      ['GET', '/api/runs/run_doesnotexist/events/stream'],
      ['GET', '/api/workflows/runs/run_doesnotexist'],
      ['POST', '/api/workflows/runs/run_doesnotexist/steps/x/approve'],
    ] as const) {
      const res = await s.api(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('run_not_found');
      expect(res.body.error.message).toContain('run_doesnotexist');
    }
    const unknownRoute = await s.api('/api/nothing-here');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.error.code).toBe('not_found');
  });

  it('rejects malformed JSON and invalid bodies with a 400 naming the problem', async () => {
    const broken = await s.api('/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"agent": "lead", "task": ',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('malformed_json');
    expect(broken.body.error.message).toMatch(/not valid JSON: .*JSON/);
    const empty = await s.api('/api/runs', { method: 'POST' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/body is empty/);
    const invalid = await s.api('/api/runs', {
      method: 'POST',
      json: { agent: 'lead', budgetUsd: -1, extra: 1 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('invalid_body');
    expect(invalid.body.error.message).toMatch(/task: /);
    expect(invalid.body.error.message).toMatch(/budgetUsd: /);
    expect(invalid.body.error.message).toMatch(/extra/);
    const unknownAgent = await s.api('/api/runs', { method: 'POST', json: { agent: 'ghost', task: 't' } });
    expect(unknownAgent.status).toBe(404);
    expect(unknownAgent.body.error.code).toBe('unknown_agent');
    const badQuery = await s.api('/api/runs?limit=abc');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.code).toBe('invalid_query');
    const badCosts = await s.api('/api/costs?from=yesterday-ish');
    expect(badCosts.status).toBe(400);
    expect(badCosts.body.error.message).toMatch(/from: "yesterday-ish"/);
  });

  it('cancels its own run through the run controller, and refuses a run it does not own with 409', async () => {
    const start = await s.api('/api/runs', { method: 'POST', json: { agent: 'staller', task: 'wait' } });
    const runId = start.body.runId as string;
    await until(
      () => s.h.sim.requests().some((r) => JSON.stringify(r.body).includes('You are staller')),
      'the call',
    );
    const cancel = await s.api(`/api/runs/${runId}/cancel`, {
      method: 'POST',
      json: { reason: 'test says stop' },
    });
    expect(cancel.status).toBe(202);
    const detail = await finished(runId);
    expect(detail.run.status).toBe('cancelled');
    expect(detail.run.error).toMatch(/test says stop/);
    const again = await s.api(`/api/runs/${runId}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('run_not_running');

    // a run this server did not start (as if `swarm run` ran it in another process)
    const controller = new AbortController();
    const foreign = executeRun({
      agent: 'staller',
      task: 'elsewhere',
      events: s.h.runtime.events,
      runner: s.h.runtime.runner,
      signal: controller.signal,
    });
    const foreignId = await until(async () => {
      const { body } = await s.api('/api/runs?status=running');
      return body.runs.find((r: { task: string }) => r.task === 'elsewhere')?.id as string | undefined;
    }, 'the foreign run');
    const refused = await s.api(`/api/runs/${foreignId}/cancel`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('run_not_owned');
    expect(refused.body.error.message).toMatch(/not in this server/);
    controller.abort();
    await foreign;
  });
});

describe('workflows', () => {
  it('lists the workflow files, starts one, waits at the approval and approves it', async () => {
    const files = await s.api('/api/workflows');
    expect(files.body.workflows).toEqual([
      expect.objectContaining({ name: 'release', file: 'release.yaml', steps: 3 }),
    ]);
    const start = await s.api('/api/workflows', { method: 'POST', json: { workflow: 'release' } });
    expect(start.status).toBe(202);
    const runId = start.body.runId as string;
    const waiting = await until(async () => {
      const { body } = await s.api(`/api/workflows/runs/${runId}`);
      return body.steps?.find((st: { id: string; status: string }) => st.id === 'sign-off')?.status ===
        'waiting'
        ? body
        : undefined;
    }, 'the approval step to wait');
    expect(waiting.steps.map((st: { id: string; needs: string[] }) => [st.id, st.needs])).toEqual([
      ['draft', []],
      ['sign-off', ['draft']],
      ['publish', ['sign-off']],
    ]);
    expect(waiting.steps[0].status).toBe('succeeded');
    const early = await s.api(`/api/workflows/runs/${runId}/steps/publish/approve`, { method: 'POST' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('step_not_waiting');
    const approve = await s.api(`/api/workflows/runs/${runId}/steps/sign-off/approve`, {
      method: 'POST',
      json: { by: 'tester', note: 'fine' },
    });
    expect(approve.status).toBe(200);
    expect(approve.body.approved).toBe(true);
    const done = await finished(runId);
    expect(done.run.status).toBe('succeeded');
    expect(done.workflow).toBe(true);
    const dag = await s.api(`/api/workflows/runs/${runId}`);
    expect(dag.body.steps.map((st: { status: string }) => st.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    const resume = await s.api(`/api/workflows/runs/${runId}/resume`, { method: 'POST' });
    expect(resume.body.status).toBe('succeeded');
  });

  it('cancels a workflow run through the engine, where every worker checks it before a step', async () => {
    const start = await s.api('/api/workflows', { method: 'POST', json: { workflow: 'release' } });
    const runId = start.body.runId as string;
    await until(async () => {
      const { body } = await s.api(`/api/workflows/runs/${runId}`);
      return body.steps?.[1]?.status === 'waiting';
    }, 'the approval step to wait');
    const cancel = await s.api(`/api/runs/${runId}/cancel`, {
      method: 'POST',
      json: { reason: 'not this release' },
    });
    expect(cancel.status).toBe(202);
    const dag = await s.api(`/api/workflows/runs/${runId}`);
    expect(dag.body.status).toBe('cancelled');
    const detail = await finished(runId);
    expect(detail.run.status).toBe('cancelled');
    expect(detail.run.error).toBe('not this release');
    const resumed = await s.api(`/api/workflows/runs/${runId}/resume`, { method: 'POST' });
    expect(resumed.body.status).toBe('cancelled');
    expect(dag.body.steps[2].status).toBe('pending');
  });

  it('refuses paths and unknown files, and bad inline definitions', async () => {
    const path = await s.api('/api/workflows', { method: 'POST', json: { workflow: '../../etc/passwd' } });
    expect(path.status).toBe(400);
    expect(path.body.error.code).toBe('workflow_file_invalid');
    const both = await s.api('/api/workflows', { method: 'POST', json: { workflow: 'a', definition: {} } });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/exactly one/);
    const bad = await s.api('/api/workflows', {
      method: 'POST',
      json: { definition: { name: 'x', steps: [{ id: 'a', needs: ['missing'], agent: 'leaf', task: 't' }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_workflow');
    expect(bad.body.error.message).toMatch(/unknown step "missing"/);
  });
});

describe('agents, costs, fleet, OpenAPI', () => {
  it('lists and validates agents', async () => {
    const list = await s.api('/api/agents');
    expect(list.body.agents.map((a: { name: string }) => a.name)).toEqual(['lead', 'leaf', 'mid', 'staller']);
    const all = await s.api('/api/agents/validate', { method: 'POST' });
    expect(all.body).toEqual({ ok: true, agents: ['lead', 'leaf', 'mid', 'staller'] });
    const good = await s.api('/api/agents/validate', {
      method: 'POST',
      json: { manifest: { name: 'helper', description: 'd', instructions: 'i', delegates: ['leaf'] } },
    });
    expect(good.body.ok).toBe(true);
    expect(good.body.agents).toContain('helper');
    const bad = await s.api('/api/agents/validate', {
      method: 'POST',
      json: { manifest: 'name: helper\ndescription: d\ninstructions: i\ndelegates: [nobody]\n' },
    });
    expect(bad.body.ok).toBe(false);
    expect(bad.body.problems).toEqual([
      expect.objectContaining({ file: '(request body)', path: 'delegates.0', line: 4 }),
    ]);
    expect(bad.body.problems[0].message).toMatch(/unknown agent "nobody"/);
  });

  it('reports costs that add up across every grouping', async () => {
    const byAgent = await s.api('/api/costs?by=agent');
    expect(byAgent.status).toBe(200);
    const total = byAgent.body.total.costUsd as number;
    expect(total).toBeGreaterThan(0);
    const leaf = byAgent.body.groups.find((g: { key: string }) => g.key === 'leaf');
    expect(leaf.inputTokens % 100).toBe(0);
    for (const by of ['run', 'model', 'tenant', 'day', 'month']) {
      const res = await s.api(`/api/costs?by=${by}`);
      const sum = res.body.groups.reduce((acc: number, g: { costUsd: number }) => acc + g.costUsd, 0);
      expect(sum, by).toBeCloseTo(total, 12);
    }
    const byModel = await s.api('/api/costs?by=model');
    expect(byModel.body.groups[0].key).toBe('sim:sim-model');
    const future = await s.api(`/api/costs?from=${Date.now() + 86_400_000}`);
    expect(future.body.total.costUsd).toBe(0);
  });

  it('shows the engine queue, every worker on the engine, and no gateway', async () => {
    // a worker of another process on the same engine, as `swarm worker` announces it
    const elsewhere = new Worker({
      queue: await s.backend.queue('elsewhere'),
      concurrency: 3,
      handler: async () => {},
    });
    const announced = new WorkerRegistry(await s.backend.kv(WORKERS_BUCKET)).announce(
      'other-host-42',
      elsewhere,
    );
    const fleet = await until(async () => {
      const f = await s.api('/api/fleet');
      return f.body.workers.length === 2 ? f : undefined;
    }, 'both workers in the fleet');
    await announced.stop();
    expect(fleet.body.engine.kind).toBe('sqlite');
    expect(fleet.body.engine.queue).toEqual(
      expect.objectContaining({ ready: expect.any(Number), leased: expect.any(Number) }),
    );
    const byNode = Object.fromEntries(fleet.body.workers.map((w: { node: string }) => [w.node, w]));
    expect(byNode['other-host-42']).toMatchObject({ concurrency: 3, inFlight: 0, pid: process.pid });
    expect(fleet.body.workers.find((w: { node: string }) => w.node !== 'other-host-42').concurrency).toBe(2);
    expect((await s.api('/api/fleet')).body.workers).toHaveLength(1);
    expect(fleet.body.gateway).toBeNull();
    const gw = await s.api('/api/gateway/backends');
    expect(gw.status).toBe(404);
    expect(gw.body.error.code).toBe('gateway_not_running');
  });

  it('serves Prometheus metrics of the runs it saw, and the engine queue depth', async () => {
    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await res.text();
    expect(text).toMatch(/^swarm_runs_finished_total\{outcome="succeeded"\} [1-9]/m);
    expect(text).toMatch(/^swarm_tokens_total\{.*\} [1-9]/m);
    expect(text).toMatch(/^swarm_queue_tasks\{queue="workflow-steps",state="ready"\} \d+/m);
  });

  it('publishes an OpenAPI 3.1 document generated from the request schemas', async () => {
    const { body } = await s.api('/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    const start = body.paths['/api/runs'].post;
    expect(start.requestBody.content['application/json'].schema.required).toEqual(['agent', 'task']);
    expect(start.responses['202']).toBeDefined();
    expect(body.paths['/api/runs/{id}'].get.parameters[0]).toEqual(
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    );
    expect(body.paths['/api/events/stream'].get.responses['200'].content['text/event-stream']).toBeDefined();
    const costs = body.paths['/api/costs'].get.parameters.find((p: { name: string }) => p.name === 'by');
    expect(costs.schema.enum).toContain('model');
    expect(body.components.schemas.Error.properties.error).toBeDefined();
  });
});
