/**
 * Durable workflows, Swarm beside LangGraph.js, on the same two graphs:
 *
 * - **linear**: N steps in a chain; step i calls a trivial function with
 *   its index and the previous step's output and returns `n=<i>`.
 * - **fan-out**: 1 → 100 → 1: a first step, 100 parallel steps (one per
 *   item), and a join that receives the 100 outputs. 102 steps.
 *
 * Swarm: `WorkflowEngine` on `SqliteBackend` (its own WAL file in the OS temp
 * dir), `engine.worker(4)` (the `swarm worker` default), and, by default,
 * wired as `swarm workflow run` wires it: `createRuntime` with the trivial
 * tool as an `extraTools` entry, `runtimeStepRunner`, and the run store
 * recording the workflow's events (in a second file, so the checkpoint bytes
 * can be told apart). Every step's checkpoint is a committed SQLite
 * transaction before the next step is enqueued. `--swarm-runner bare` adds a
 * StepRunner that calls the function directly and an event bus with no store.
 * The time runs from `engine.start()` to the `run.finished` event.
 *
 * LangGraph.js: a `StateGraph` with N nodes in a chain (state: the last output
 * and a counter), and a fan-out with `Send` to 100 worker nodes whose outputs a
 * reducer concatenates, then a join node. Three ways: no checkpointer;
 * `SqliteSaver.fromConnString(file)` as shipped (durability "async", the
 * default: a checkpoint is written while the next step runs); and SqliteSaver
 * with durability "sync" on a connection set to synchronous=NORMAL, which is
 * Swarm's guarantee (each checkpoint committed before the next step starts,
 * WAL with synchronous=NORMAL). The JSON records the synchronous setting each
 * saver ran with (as shipped it also ends up at 1, NORMAL, once its setup
 * switches the file to WAL). The time is one `invoke()`, the fastest of `--rounds`.
 *
 * Bytes: the checkpoint database's size after closing it (which folds the WAL
 * in), and everything the process handed to write() during the run and the
 * close (`wchar` in /proc/self/io: WAL frames, checkpoints, and for Swarm the
 * run store too).
 *
 *   npx tsx bench/workflow-langgraph.ts [--sizes 100,300,1000] [--langgraph-sizes 100,1000]
 *     [--swarm-runner runtime|bare|both] [--swarm-timeout 120] [--rounds 2] [--no-fanout]
 *     [--out bench/results/workflow-langgraph.json]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Annotation, END, Send, START, StateGraph } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { createRuntime, type Runtime } from '../src/agents/runtime.js';
import { loadConfig } from '../src/core/config.js';
import { EventBus } from '../src/core/events.js';
import { SqliteBackend } from '../src/engine/sqlite/sqlite-backend.js';
import { defineTool } from '../src/tools/tool.js';
import type { WorkflowDefinition } from '../src/workflows/definition.js';
import { WorkflowEngine } from '../src/workflows/engine.js';
import { runtimeStepRunner } from '../src/workflows/runtime-step-runner.js';
import type { StepRunner } from '../src/workflows/step-runner.js';
import { BENCH_DIR, loadAverage, machine, packageVersion, positiveInt } from './lib/measure.js';

const HELP = `npx tsx bench/workflow-langgraph.ts [options]
  --sizes <list>            linear-graph sizes for Swarm (default 100,300,1000)
  --langgraph-sizes <list>  linear-graph sizes for LangGraph.js (default 100,1000)
  --swarm-runner <which>    runtime (as swarm workflow run wires it, default), bare, or both
  --swarm-timeout <s>       stop a Swarm run that takes longer and report the steps it did (default 120)
  --rounds <n>              LangGraph runs per configuration, the fastest reported (default 2)
  --fan-width <n>           parallel steps in the fan-out (default 100)
  --no-fanout               skip the fan-out graph
  --no-langgraph            skip LangGraph.js
  --out <file>              where the JSON goes (default bench/results/workflow-langgraph.json)`;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    'langgraph-sizes': { type: 'string' },
    'swarm-runner': { type: 'string' },
    'swarm-timeout': { type: 'string' },
    rounds: { type: 'string' },
    'fan-width': { type: 'string' },
    'no-fanout': { type: 'boolean' },
    'no-langgraph': { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const list = (s: string | undefined, fallback: string, name: string) =>
  (s ?? fallback).split(',').map((x) => positiveInt(x.trim(), 1, name));
const SIZES = list(values.sizes, '100,300,1000', 'sizes');
const LG_SIZES = values['no-langgraph'] ? [] : list(values['langgraph-sizes'], '100,1000', 'langgraph-sizes');
const RUNNERS: SwarmRunnerKind[] =
  values['swarm-runner'] === 'both'
    ? ['runtime', 'bare']
    : values['swarm-runner'] === 'bare'
      ? ['bare']
      : ['runtime'];
const SWARM_TIMEOUT_MS = positiveInt(values['swarm-timeout'], 120, 'swarm-timeout') * 1000;
const ROUNDS = positiveInt(values.rounds, 2, 'rounds');
const FAN = positiveInt(values['fan-width'], 100, 'fan-width');
const FANOUT = !values['no-fanout'];
const out = resolve(values.out ?? join(BENCH_DIR, 'results', 'workflow-langgraph.json'));

type SwarmRunnerKind = 'runtime' | 'bare';
type GraphKind = 'linear' | 'fanout';
type SaverKind = 'none' | 'sqlite-default' | 'sqlite-sync-normal';

/** The work of every step, in both frameworks. */
const work = (i: number, _prev: unknown): string => `n=${i}`;
const stepId = (i: number) => `s${String(i).padStart(5, '0')}`;
/** A Swarm template reference: `${{ path }}`. */
const ref = (path: string) => `\${{ ${path} }}`;

/** Bytes this process has handed to write() so far. */
function writtenBytes(): number {
  const line = readFileSync('/proc/self/io', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('wchar:'));
  return line ? Number(line.slice(6)) : Number.NaN;
}

const fileSize = (file: string) =>
  [file, `${file}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);

interface Measured {
  framework: 'swarm' | 'langgraph';
  config: string;
  graph: GraphKind;
  /** Steps (nodes) in the graph. */
  steps: number;
  /** Steps finished, when the run was stopped at the timeout. */
  completed: number;
  finished: boolean;
  totalMs: number;
  msPerStep: number;
  runs: number;
  checkpointBytes: number;
  writtenBytes: number;
  /** Swarm: the run store's size (events), not counted in checkpointBytes. */
  storeBytes?: number;
  /** Swarm linear runs: ms per step over successive tenths of the run. */
  msPerStepByTenth?: number[];
  sqliteSynchronous?: number;
}

// ---------------------------------------------------------------- Swarm

function swarmDefinition(graph: GraphKind, n: number): WorkflowDefinition {
  if (graph === 'linear') {
    return {
      name: 'bench-linear',
      steps: Array.from({ length: n }, (_, i) => ({
        id: stepId(i),
        tool: 'bench_step',
        args: i === 0 ? { i } : { i, prev: ref(`steps.${stepId(i - 1)}.output`) },
        ...(i > 0 ? { needs: [stepId(i - 1)] } : {}),
      })),
    } as unknown as WorkflowDefinition;
  }
  return {
    name: 'bench-fanout',
    input: { items: Array.from({ length: n }, (_, i) => i + 1) },
    steps: [
      { id: 'start', tool: 'bench_step', args: { i: 0 } },
      {
        id: 'fan',
        needs: ['start'],
        foreach: 'input.items',
        do: { tool: 'bench_step', args: { i: ref('item'), prev: ref('steps.start.output') } },
      },
      { id: 'join', needs: ['fan'], tool: 'bench_step', args: { i: n + 1, prev: ref('steps.fan.output') } },
    ],
  } as unknown as WorkflowDefinition;
}

const benchTool = defineTool({
  name: 'bench_step',
  description: 'A trivial workflow step: returns n=<i>.',
  input: z.object({ i: z.number(), prev: z.unknown().optional() }),
  async execute({ i, prev }) {
    return work(i, prev);
  },
});

interface SwarmSetup {
  runner: StepRunner;
  events: EventBus;
  runtime?: Runtime;
  storeFile?: string;
}

function swarmSetup(kind: SwarmRunnerKind, dir: string): SwarmSetup {
  if (kind === 'bare') {
    return {
      events: new EventBus(),
      runner: {
        agent: async () => {
          throw new Error('the benchmark has no agent steps');
        },
        tool: async (request) => work(request.args.i as number, request.args.prev),
      },
    };
  }
  const agentsDir = join(dir, 'agents');
  mkdirSync(agentsDir);
  mkdirSync(join(dir, 'workspace'));
  const storeFile = join(dir, 'swarm.db');
  const runtime = createRuntime({
    config: { ...loadConfig({ cwd: dir }), workspace: join(dir, 'workspace') },
    storeFile,
    agentsDir,
    extraTools: [benchTool],
  });
  return { runtime, storeFile, events: runtime.events, runner: runtimeStepRunner(runtime) };
}

async function runSwarm(kind: SwarmRunnerKind, graph: GraphKind, n: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-wf-bench-'));
  const engineFile = join(dir, 'engine.db');
  const setup = swarmSetup(kind, dir);
  const backend = new SqliteBackend(engineFile);
  const steps = graph === 'linear' ? n : n + 2;
  try {
    const engine = await WorkflowEngine.open(backend, setup.runner, {
      leaseMs: 30_000,
      events: setup.events,
    });
    const worker = engine.worker(4).start();
    let runId = '';
    let completed = 0;
    const marks: number[] = [];
    let finish!: (ok: boolean) => void;
    const finished = new Promise<boolean>((r) => {
      finish = r;
    });
    const timer = setTimeout(() => finish(false), SWARM_TIMEOUT_MS);
    const unsubscribe = setup.events.subscribe((e) => {
      if (e.runId !== runId && runId !== '') return;
      if (e.type === 'step.finished') {
        completed++;
        marks.push(performance.now());
      } else if (e.type === 'run.finished') finish(true);
    });
    const io0 = writtenBytes();
    const t0 = performance.now();
    runId = await engine.start(swarmDefinition(graph, n));
    const ok = await finished;
    const totalMs = performance.now() - t0;
    clearTimeout(timer);
    unsubscribe();
    await worker.stop(2000);
    const { run, steps: checkpoints } = await engine.status(runId);
    if (ok) {
      if (run.status !== 'succeeded') throw new Error(`swarm ${graph} ${n}: run ${run.status}: ${run.error}`);
      const last = checkpoints.get(graph === 'linear' ? stepId(n - 1) : 'join');
      if (last?.output !== work(graph === 'linear' ? n - 1 : n + 1, undefined))
        throw new Error(`swarm ${graph} ${n}: unexpected output ${JSON.stringify(last?.output)}`);
      if (
        graph === 'fanout' &&
        ((checkpoints.get('fan')?.output as unknown[] | undefined)?.length ?? 0) !== n
      )
        throw new Error(`swarm fanout: the join did not get ${n} outputs`);
    }
    setup.runtime?.store.flush();
    await backend.close();
    setup.runtime?.close();
    const written = writtenBytes() - io0;
    // a stopped run counts the steps finished (a foreach step counts once, not per item)
    const done = ok ? steps : completed;
    const tenths: number[] = [];
    if (graph === 'linear' && marks.length >= 10) {
      const size = Math.floor(marks.length / 10);
      let prev = t0;
      for (let k = 1; k <= 10; k++) {
        const at = marks[k * size - 1]!;
        tenths.push((at - prev) / size);
        prev = at;
      }
    }
    return {
      framework: 'swarm',
      config: kind === 'runtime' ? 'Swarm (runtime, as `swarm workflow run`)' : 'Swarm (bare StepRunner)',
      graph,
      steps,
      completed: done,
      finished: ok,
      totalMs,
      msPerStep: totalMs / Math.max(1, done),
      runs: 1,
      checkpointBytes: fileSize(engineFile),
      writtenBytes: written,
      ...(setup.storeFile ? { storeBytes: fileSize(setup.storeFile) } : {}),
      ...(tenths.length ? { msPerStepByTenth: tenths } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- LangGraph.js

const LinearState = Annotation.Root({
  count: Annotation<number>(),
  last: Annotation<string>(),
});

const FanState = Annotation.Root({
  first: Annotation<string>(),
  results: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  joined: Annotation<string>(),
});

/** The builder with node names as plain strings: the graphs here are generated, so the literal types cannot help. */
interface LooseBuilder {
  addNode(name: string, fn: (state: never) => unknown): LooseBuilder;
  addEdge(from: string, to: string): LooseBuilder;
  addConditionalEdges(from: string, route: (state: never) => unknown): LooseBuilder;
  compile(options?: { checkpointer?: SqliteSaver }): {
    invoke(input: unknown, config: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
}

function langGraph(graph: GraphKind, n: number): LooseBuilder {
  if (graph === 'linear') {
    const g = new StateGraph(LinearState) as unknown as LooseBuilder;
    for (let i = 0; i < n; i++) {
      g.addNode(stepId(i), (s: typeof LinearState.State) => ({ count: s.count + 1, last: work(i, s.last) }));
    }
    g.addEdge(START, stepId(0));
    for (let i = 1; i < n; i++) g.addEdge(stepId(i - 1), stepId(i));
    g.addEdge(stepId(n - 1), END);
    return g;
  }
  const g = new StateGraph(FanState) as unknown as LooseBuilder;
  g.addNode('start', () => ({ first: work(0, undefined) }));
  g.addNode('worker', (arg: { i: number; first: string }) => ({ results: [work(arg.i, arg.first)] }));
  g.addNode('join', (s: typeof FanState.State) => ({ joined: work(n + 1, s.results) }));
  g.addEdge(START, 'start');
  g.addConditionalEdges('start', (s: typeof FanState.State) =>
    Array.from({ length: n }, (_, k) => new Send('worker', { i: k + 1, first: s.first })),
  );
  g.addEdge('worker', 'join');
  g.addEdge('join', END);
  return g;
}

async function runLangGraphOnce(graph: GraphKind, n: number, saver: SaverKind): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'langgraph-bench-'));
  const file = join(dir, 'checkpoints.db');
  try {
    let checkpointer: SqliteSaver | undefined;
    if (saver === 'sqlite-default') checkpointer = SqliteSaver.fromConnString(file);
    if (saver === 'sqlite-sync-normal') {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      checkpointer = new SqliteSaver(db);
    }
    const app = langGraph(graph, n).compile(checkpointer ? { checkpointer } : {});
    const input = graph === 'linear' ? { count: 0, last: '' } : {};
    const config = {
      recursionLimit: n + 10,
      configurable: { thread_id: 'bench' },
      ...(saver === 'sqlite-sync-normal' ? { durability: 'sync' } : {}),
    };
    const io0 = writtenBytes();
    const t0 = performance.now();
    const result = await app.invoke(input, config);
    const totalMs = performance.now() - t0;
    if (graph === 'linear' && (result.count !== n || result.last !== work(n - 1, undefined)))
      throw new Error(`langgraph linear ${n}: ended with ${JSON.stringify(result)}`);
    if (
      graph === 'fanout' &&
      ((result.results as string[]).length !== n || result.joined !== work(n + 1, []))
    )
      throw new Error(`langgraph fanout ${n}: ended with ${(result.results as string[]).length} results`);
    const synchronous = checkpointer?.db.pragma('synchronous', { simple: true }) as number | undefined;
    checkpointer?.db.close();
    const steps = graph === 'linear' ? n : n + 2;
    return {
      framework: 'langgraph',
      config:
        saver === 'none'
          ? 'LangGraph.js, no checkpointer'
          : saver === 'sqlite-default'
            ? 'LangGraph.js + SqliteSaver (as shipped)'
            : 'LangGraph.js + SqliteSaver (durability sync, synchronous=NORMAL)',
      graph,
      steps,
      completed: steps,
      finished: true,
      totalMs,
      msPerStep: totalMs / steps,
      runs: 1,
      checkpointBytes: checkpointer ? fileSize(file) : 0,
      writtenBytes: writtenBytes() - io0,
      ...(synchronous === undefined ? {} : { sqliteSynchronous: synchronous }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runLangGraph(graph: GraphKind, n: number, saver: SaverKind): Promise<Measured> {
  const runs: Measured[] = [];
  for (let r = 0; r < ROUNDS; r++) runs.push(await runLangGraphOnce(graph, n, saver));
  // the fastest run: the benefit of any doubt goes to the baseline
  runs.sort((a, b) => a.totalMs - b.totalMs);
  return { ...runs[0]!, runs: runs.length };
}

// ---------------------------------------------------------------- main

const results: Measured[] = [];
const loadBefore = loadAverage();
const started = performance.now();
const log = (m: Measured) => {
  results.push(m);
  console.error(
    `  ${m.config} ${m.graph} ${m.steps}: ${m.totalMs.toFixed(0)} ms, ${m.msPerStep.toFixed(3)} ms/step${m.finished ? '' : ` (stopped after ${m.completed} steps)`}; load ${loadAverage()}`,
  );
};

// LangGraph's fan-out adds an abort listener per parallel task to one signal, and Node warns past 10:
// expected here, so that one warning is dropped; any other is printed
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'MaxListenersExceededWarning') console.error(warning);
});

// warm-up: JIT both frameworks on graphs of both shapes
for (const kind of RUNNERS) {
  await runSwarm(kind, 'linear', 100);
  if (FANOUT) await runSwarm(kind, 'fanout', Math.min(FAN, 20));
}
if (LG_SIZES.length) {
  for (const s of ['none', 'sqlite-default'] as const) {
    await runLangGraphOnce('linear', 200, s);
    if (FANOUT) await runLangGraphOnce('fanout', FAN, s);
  }
}

const SAVERS: SaverKind[] = ['none', 'sqlite-default', 'sqlite-sync-normal'];
for (const saver of SAVERS) for (const n of LG_SIZES) log(await runLangGraph('linear', n, saver));
if (FANOUT && LG_SIZES.length) for (const saver of SAVERS) log(await runLangGraph('fanout', FAN, saver));
for (const kind of RUNNERS) {
  if (FANOUT) log(await runSwarm(kind, 'fanout', FAN));
  for (const n of SIZES) log(await runSwarm(kind, 'linear', n));
}
const loadAfter = loadAverage();

// ---------------------------------------------------------------- report

const mb = (b: number) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(0)} kB`);
const find = (graph: GraphKind, steps: number, config: string) =>
  results.find((r) => r.graph === graph && r.steps === steps && r.config === config);
console.log(
  '| graph | implementation | steps | total ms | ms / step | vs LangGraph no checkpointer | vs LangGraph + SqliteSaver | checkpoint DB | written (write()) |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const none = find(r.graph, r.steps, 'LangGraph.js, no checkpointer');
  const saver = find(r.graph, r.steps, 'LangGraph.js + SqliteSaver (as shipped)');
  const x = (b: Measured | undefined) => (b && b !== r ? `${(r.msPerStep / b.msPerStep).toFixed(2)}×` : '');
  const total = r.finished ? r.totalMs.toFixed(0) : `stopped at ${(r.totalMs / 1000).toFixed(0)} s`;
  const steps = r.finished ? `${r.steps}` : `${r.completed} of ${r.steps}`;
  console.log(
    `| ${r.graph === 'linear' ? 'linear' : `1→${r.steps - 2}→1`} | ${r.config} | ${steps} | ${total} | ${r.msPerStep.toFixed(3)} | ${x(none)} | ${x(saver)} | ${r.checkpointBytes ? mb(r.checkpointBytes) : '–'} | ${mb(r.writtenBytes)} |`,
  );
}
const curves = results.filter((r) => r.msPerStepByTenth);
if (curves.length) {
  console.log(
    '\nSwarm, linear: ms per step over each tenth of the run (flat means the cost does not grow)\n',
  );
  console.log(`| implementation | steps | ${Array.from({ length: 10 }, (_, k) => `${k + 1}`).join(' | ')} |`);
  console.log(`| --- | ---: | ${Array.from({ length: 10 }, () => '---:').join(' | ')} |`);
  for (const r of curves) {
    console.log(
      `| ${r.config} | ${r.finished ? r.steps : `${r.completed} of ${r.steps}`} | ${r.msPerStepByTenth!.map((t) => t.toFixed(2)).join(' | ')} |`,
    );
  }
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      benchmark: 'workflow-langgraph',
      date: new Date().toISOString(),
      machine: machine(),
      versions: {
        '@langchain/langgraph': packageVersion('@langchain/langgraph'),
        '@langchain/langgraph-checkpoint-sqlite': packageVersion('@langchain/langgraph-checkpoint-sqlite'),
        'better-sqlite3': packageVersion('better-sqlite3'),
      },
      loadAverage: { before: loadBefore, after: loadAfter },
      seconds: (performance.now() - started) / 1000,
      options: { sizes: SIZES, langgraphSizes: LG_SIZES, runners: RUNNERS, rounds: ROUNDS, fanWidth: FAN },
      results,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nload average ${loadBefore} before, ${loadAfter} after; JSON: ${out}`);
