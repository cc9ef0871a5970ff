/**
 * Where a Swarm workflow step's time goes, and how it grows with the size of
 * the workflow. Two parts:
 *
 * 1. **Calls per step.** A real linear run, and a 1→100→1 fan-out (WorkflowEngine on SqliteBackend,
 *    a StepRunner that returns at once) with counters on WorkflowState, the
 *    SQLite KV and queue, and the workflow schema's safeParse (each
 *    validateWorkflow() call makes exactly one).
 * 2. **Unit costs.** CPU time per call, warmed up, for a linear workflow of
 *    n steps whose n checkpoints are all stored: validateWorkflow (and the zod
 *    parse alone), WorkflowState.getRun, WorkflowState.steps, planRun,
 *    scopeOf. CPU time (process.cpuUsage) rather than wall time, the cheapest
 *    of several batches, so a loaded machine changes them less.
 *
 * It then multiplies the two into a per-step estimate for n = 100, 1,000 and
 * 10,000 steps: steps() reads every checkpoint stored so far, so over a run it
 * costs on average half of what it costs at the end.
 *
 *   npx tsx bench/workflow-step-costs.ts [--sizes 100,1000,10000] [--calls-run 60] [--fan-width 100]
 *     [--out bench/results/workflow-step-costs.json]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EventBus } from '../src/core/events.js';
import { SqliteBackend } from '../src/engine/sqlite/sqlite-backend.js';
import { SqliteKv } from '../src/engine/sqlite/sqlite-kv.js';
import { SqliteQueue } from '../src/engine/sqlite/sqlite-queue.js';
import type { RunRecord } from '../src/workflows/checkpoint.js';
import { type WorkflowDefinition, workflowSchema } from '../src/workflows/definition.js';
import { WorkflowEngine } from '../src/workflows/engine.js';
import { validateWorkflow } from '../src/workflows/load.js';
import { planRun, scopeOf } from '../src/workflows/planner.js';
import { WorkflowState } from '../src/workflows/state.js';
import { BENCH_DIR, loadAverage, machine, positiveInt } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    'calls-run': { type: 'string' },
    'fan-width': { type: 'string' },
    out: { type: 'string' },
  },
});
const FAN = positiveInt(values['fan-width'], 100, 'fan-width');
const SIZES = (values.sizes ?? '100,1000,10000').split(',').map((s) => positiveInt(s.trim(), 1, 'sizes'));
const CALLS_RUN = positiveInt(values['calls-run'], 60, 'calls-run');
const out = resolve(values.out ?? join(BENCH_DIR, 'results', 'workflow-step-costs.json'));

const stepId = (i: number) => `s${String(i).padStart(5, '0')}`;
const ref = (path: string) => `\${{ ${path} }}`;
/** The linear workflow of workflow-langgraph.ts. */
const linear = (n: number) =>
  ({
    name: 'bench-linear',
    steps: Array.from({ length: n }, (_, i) => ({
      id: stepId(i),
      tool: 'bench_step',
      args: i === 0 ? { i } : { i, prev: ref(`steps.${stepId(i - 1)}.output`) },
      ...(i > 0 ? { needs: [stepId(i - 1)] } : {}),
    })),
  }) as unknown as WorkflowDefinition;

// ---------------------------------------------------------------- 1. calls per step

const counts = new Map<string, number>();
const count = (label: string) => counts.set(label, (counts.get(label) ?? 0) + 1);
/** Puts the counted methods back, so the unit costs are measured without the counters. */
const restore: (() => void)[] = [];
function countCalls(proto: object, methods: string[], prefix: string) {
  const target = proto as Record<string, (...args: unknown[]) => unknown>;
  for (const name of methods) {
    const original = target[name]!;
    restore.push(() => {
      target[name] = original;
    });
    target[name] = function (this: unknown, ...args: unknown[]) {
      count(`${prefix}.${name}`);
      return original.apply(this, args);
    };
  }
}

/** The fan-out of workflow-langgraph.ts: a first step, a foreach over `width` items, a join. */
const fanout = (width: number) =>
  ({
    name: 'bench-fanout',
    input: { items: Array.from({ length: width }, (_, i) => i + 1) },
    steps: [
      { id: 'start', tool: 'bench_step', args: { i: 0 } },
      {
        id: 'fan',
        needs: ['start'],
        foreach: 'input.items',
        do: { tool: 'bench_step', args: { i: ref('item') } },
      },
      {
        id: 'join',
        needs: ['fan'],
        tool: 'bench_step',
        args: { i: width + 1, prev: ref('steps.fan.output') },
      },
    ],
  }) as unknown as WorkflowDefinition;

/** Calls per step (a foreach item counts as a step) over one run of `definition`. */
async function callsPerStep(definition: WorkflowDefinition, steps: number): Promise<Record<string, number>> {
  countCalls(
    WorkflowState.prototype,
    ['getRun', 'steps', 'getStep', 'transitionStep', 'updateRun', 'items', 'putItem'],
    'state',
  );
  countCalls(SqliteKv.prototype, ['get', 'keys', 'create', 'update', 'put'], 'kv');
  countCalls(SqliteQueue.prototype, ['enqueue', 'claim'], 'queue');
  const schema = workflowSchema as unknown as { safeParse: (...args: unknown[]) => unknown };
  const safeParse = schema.safeParse;
  schema.safeParse = function (this: unknown, ...args: unknown[]) {
    count('validateWorkflow (workflowSchema.safeParse)');
    return safeParse.apply(this, args);
  };
  restore.push(() => {
    delete (schema as { safeParse?: unknown }).safeParse;
  });
  const dir = mkdtempSync(join(tmpdir(), 'swarm-step-costs-'));
  const backend = new SqliteBackend(join(dir, 'engine.db'));
  try {
    const events = new EventBus();
    const engine = await WorkflowEngine.open(
      backend,
      {
        agent: async () => ({ output: null }),
        tool: async (request) => `n=${String(request.args.i)}`,
      },
      { leaseMs: 30_000, events },
    );
    const worker = engine.worker(4).start();
    const finished = new Promise<void>((r) => events.subscribe((e) => e.type === 'run.finished' && r()));
    counts.clear();
    await engine.start(definition);
    await finished;
    const snapshot = Object.fromEntries([...counts].map(([k, v]) => [k, v / steps]));
    await worker.stop(1000);
    return snapshot;
  } finally {
    for (const undo of restore) undo();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- 2. unit costs

/**
 * CPU milliseconds per call of `fn`: after a warm-up, batches of at least
 * `batchMs` of CPU (or one call), for at least `totalMs`; the cheapest batch's
 * average, since a busy machine only ever adds time.
 */
async function cpuMs(fn: () => unknown, batchMs = 30, totalMs = 300): Promise<number> {
  const cpu = (c0: NodeJS.CpuUsage) => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const w0 = process.cpuUsage();
  for (let i = 0; i < 5 || cpu(w0) < batchMs; i++) await fn();
  let best = Number.POSITIVE_INFINITY;
  const all = process.cpuUsage();
  let batches = 0;
  while (batches < 3 || cpu(all) < totalMs) {
    const c0 = process.cpuUsage();
    let calls = 0;
    do {
      await fn();
      calls++;
    } while (cpu(c0) < batchMs);
    best = Math.min(best, cpu(c0) / calls);
    batches++;
  }
  return best;
}

interface UnitCosts {
  steps: number;
  runRecordBytes: number;
  validateWorkflowMs: number;
  zodParseOnlyMs: number;
  getRunMs: number;
  stepsAllDoneMs: number;
  planRunMs: number;
  scopeOfMs: number;
}

async function unitCosts(n: number): Promise<UnitCosts> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-step-costs-'));
  const backend = new SqliteBackend(join(dir, 'engine.db'));
  try {
    const state = new WorkflowState(await backend.kv('workflows'));
    const definition = linear(n);
    const workflow = validateWorkflow(definition);
    const runId = `run-${n}`;
    const record: RunRecord = {
      v: 2,
      name: workflow.name,
      input: {},
      status: 'running',
      tenantId: 'default',
      rootNodeId: 'node',
      budget: {},
      spent: { tokens: 0, usd: 0 },
      createdAt: Date.now(),
      updatedAt: Date.now(),
    };
    await state.createRun(runId, record, workflow);
    for (let i = 0; i < n; i++) {
      await state.transitionStep(runId, stepId(i), () => ({
        v: 1,
        status: 'succeeded',
        attempts: 1,
        output: `n=${i}`,
        updatedAt: Date.now(),
      }));
    }
    const steps = await state.steps(runId);
    return {
      steps: n,
      runRecordBytes: JSON.stringify(record).length,
      validateWorkflowMs: await cpuMs(() => validateWorkflow(definition)),
      zodParseOnlyMs: await cpuMs(() => workflowSchema.safeParse(definition)),
      getRunMs: await cpuMs(() => state.getRun(runId)),
      stepsAllDoneMs: await cpuMs(() => state.steps(runId)),
      planRunMs: await cpuMs(() => planRun(workflow, steps, {})),
      scopeOfMs: await cpuMs(() => scopeOf({}, steps)),
    };
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The parts of a step that do not grow with the workflow: the KV writes and
 * queue operations, timed on the wall clock (they are mostly SQLite commits),
 * with small values like a step checkpoint's.
 */
async function fixedCosts(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-step-costs-'));
  const backend = new SqliteBackend(join(dir, 'engine.db'));
  try {
    const kv = await backend.kv('fixed');
    const queue = await backend.queue('fixed');
    const value = { v: 1, status: 'succeeded', attempts: 1, output: 'n=1', updatedAt: Date.now() };
    const wallMs = async (n: number, fn: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 50; i++) await fn(n + i);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await fn(i);
      return (performance.now() - t0) / n;
    };
    const N = 2000;
    const create = await wallMs(N, (i) => kv.create(`c.${i}`, value));
    const update = await wallMs(N, async (i) => {
      const entry = await kv.get(`c.${i}`);
      return kv.update(`c.${i}`, value, entry!.revision);
    });
    const get = await wallMs(N, (i) => kv.get(`c.${i}`));
    const enqueue = await wallMs(N, (i) =>
      queue.enqueue({ id: `t${i}`, payload: { runId: 'r', stepId: `s${i}` } }),
    );
    const enqueueDuplicate = await wallMs(N, (i) =>
      queue.enqueue({ id: `t${i}`, payload: { runId: 'r', stepId: `s${i}` } }),
    );
    const claimAck = await wallMs(N, async () => (await queue.claim())?.ack());
    return {
      kvCreate: create,
      kvGetThenUpdate: update,
      kvGet: get,
      enqueue,
      enqueueDuplicate,
      claimAndAck: claimAck,
    };
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- main

const loadBefore = loadAverage();
const calls = await callsPerStep(linear(CALLS_RUN), CALLS_RUN);
const fanCalls = await callsPerStep(fanout(FAN), FAN + 2);
const per = (label: string) => calls[label] ?? 0;
console.log(
  `Calls per step: a ${CALLS_RUN}-step linear run, and a 1→${FAN}→1 fan-out (per item); engine.worker(4), bare StepRunner\n`,
);
console.log(`| call | linear, per step | fan-out, per step |`);
console.log('| --- | ---: | ---: |');
for (const label of [...new Set([...Object.keys(calls), ...Object.keys(fanCalls)])].sort()) {
  console.log(`| ${label} | ${(calls[label] ?? 0).toFixed(2)} | ${(fanCalls[label] ?? 0).toFixed(2)} |`);
}

const units: UnitCosts[] = [];
for (const n of SIZES) units.push(await unitCosts(n));
const V = per('validateWorkflow (workflowSchema.safeParse)');
const G = per('state.getRun');
const S = per('state.steps');
console.log('\nCPU ms per call, with all n checkpoints stored; and the per-step estimate\n');
console.log(
  `| steps n | run record bytes | validateWorkflow | of which zod | getRun | steps() | planRun | scopeOf | est. ms / step, run average (${V.toFixed(0)}×validate + ${G.toFixed(0)}×getRun + ${S.toFixed(0)}×steps()/2 + 2×planRun) | est. run time |`,
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const estimates = units.map((u) => {
  // steps() reads every checkpoint stored so far: on average half of them over a run; planRun runs once
  // per pass of advance(), which makes two passes per step (src/workflows/engine.ts)
  const perStep = V * u.validateWorkflowMs + G * u.getRunMs + (S * u.stepsAllDoneMs) / 2 + 2 * u.planRunMs;
  console.log(
    `| ${u.steps.toLocaleString('en-US')} | ${u.runRecordBytes.toLocaleString('en-US')} | ${u.validateWorkflowMs.toFixed(3)} | ${u.zodParseOnlyMs.toFixed(3)} | ${u.getRunMs.toFixed(3)} | ${u.stepsAllDoneMs.toFixed(3)} | ${u.planRunMs.toFixed(3)} | ${u.scopeOfMs.toFixed(3)} | ${perStep.toFixed(2)} | ${((perStep * u.steps) / 1000).toFixed(1)} s |`,
  );
  return { steps: u.steps, estMsPerStep: perStep, estRunSeconds: (perStep * u.steps) / 1000 };
});
const fixed = await fixedCosts();
// per step: the three checkpoint writes (queued: create; running, succeeded: get + update), two enqueues
// (the second a duplicate), one claim and ack; the other reads are counted in the n-dependent part
const floor =
  fixed.kvCreate! +
  2 * fixed.kvGetThenUpdate! +
  fixed.enqueue! +
  fixed.enqueueDuplicate! +
  fixed.claimAndAck!;
console.log('\nThe part that does not grow: wall ms per call (SQLite commits)\n');
console.log(
  '| kv.create | kv.get + kv.update | kv.get | enqueue | enqueue (duplicate) | claim + ack | floor per step |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
console.log(
  `| ${fixed.kvCreate!.toFixed(3)} | ${fixed.kvGetThenUpdate!.toFixed(3)} | ${fixed.kvGet!.toFixed(3)} | ${fixed.enqueue!.toFixed(3)} | ${fixed.enqueueDuplicate!.toFixed(3)} | ${fixed.claimAndAck!.toFixed(3)} | ${floor.toFixed(3)} |`,
);
const loadAfter = loadAverage();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ benchmark: 'workflow-step-costs', date: new Date().toISOString(), machine: machine(), loadAverage: { before: loadBefore, after: loadAfter }, callsRun: CALLS_RUN, callsPerStep: calls, fanWidth: FAN, fanoutCallsPerStep: fanCalls, unitCostsCpuMs: units, estimates, fixedCostsWallMs: fixed, floorMsPerStep: floor }, null, 2)}\n`,
);
console.log(`\nload average ${loadBefore} before, ${loadAfter} after; JSON: ${out}`);
