/**
 * The runner's own overhead per model call, side by side with OpenAI Agents JS.
 *
 * Both runtimes get a model that answers instantly, in-process, and the same
 * two runs: a 1-turn run (the model answers text at once) and a 10-tool run
 * (the model calls a trivial tool on each of 10 steps, then answers: 11 model
 * calls). Swarm runs go through `executeRun` with the runtime wired by
 * `createRuntime` and the options `swarm run` passes, so every event is
 * persisted to a real SQLite store (flushed at the end of each timed batch,
 * inside its time; today the store also writes at every `run.finished`);
 * OpenAI Agents JS runs with tracing disabled and persists nothing.
 *
 * After a warm-up that also checks both follow the script, the measured runs
 * are split into batches that alternate between the runtimes (A, B, A, B…),
 * so drift and background load fall on both.
 *
 *   npx tsx bench/runner-overhead.ts [--iterations 10000] [--tool-iterations 2000]
 *     [--batches 20] [--warmup 500] [--quick] [--only swarm|openai]
 *     [--scenario one-turn|ten-tools] [--out bench/results/runner-overhead.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BENCH_DIR,
  lastRunEventTypes,
  loadAverage,
  type Machine,
  machine,
  ms,
  packageVersion,
  positiveInt,
  Samples,
  type Stats,
  storeSnapshot,
} from './lib/measure.js';
import { startOpenAIAgents } from './lib/openai-agents.js';
import { SCENARIOS, type Scenario, TOOL_CALLS } from './lib/script.js';
import { startSwarm } from './lib/swarm.js';

type Impl = 'swarm' | 'openai';

/** What the issue measured for OpenAI Agents JS on its machine: the goal for Swarm. */
const ISSUE_GOAL_MS: Record<Scenario['key'], number> = { 'one-turn': 0.21, 'ten-tools': 3.07 };

interface Options {
  iterations: number;
  toolIterations: number;
  batches: number;
  warmup: number;
  only: Impl | undefined;
  scenario: Scenario['key'] | undefined;
  out: string;
}

interface ScenarioResult {
  scenario: Scenario['key'];
  title: string;
  modelCalls: number;
  toolCallsPerRun: number;
  issueGoalMs: number;
  swarm?: Stats;
  openai?: Stats;
  /** Swarm / OpenAI Agents JS. */
  ratioMean?: number;
  ratioP50?: number;
  store?: { eventsPerRun: number; bytesPerRun: number; eventTypes: Record<string, number> };
}

const HELP = `npx tsx bench/runner-overhead.ts [options]
  --iterations <n>       measured 1-turn runs per runtime (default 10000)
  --tool-iterations <n>  measured 10-tool runs per runtime (default 2000)
  --batches <n>          alternating batches the measured runs are split into (default 20)
  --warmup <n>           unmeasured runs per runtime and scenario first (default 500)
  --quick                a smoke run: 200 / 40 runs, 4 batches, 30 warm-up runs
  --only swarm|openai    measure one runtime (for profiling)
  --scenario <key>       only one-turn or ten-tools (for profiling)
  --out <file>           where the JSON goes (default bench/results/runner-overhead.json)`;

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      iterations: { type: 'string' },
      'tool-iterations': { type: 'string' },
      batches: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      scenario: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  if (values.only !== undefined && values.only !== 'swarm' && values.only !== 'openai') {
    throw new Error(`--only must be "swarm" or "openai", got "${values.only}"`);
  }
  if (values.scenario !== undefined && !SCENARIOS.some((s) => s.key === values.scenario)) {
    throw new Error(
      `--scenario must be one of ${SCENARIOS.map((s) => s.key).join(', ')}, got "${values.scenario}"`,
    );
  }
  const quick = values.quick;
  return {
    iterations: positiveInt(values.iterations, quick ? 200 : 10_000, 'iterations'),
    toolIterations: positiveInt(values['tool-iterations'], quick ? 40 : 2000, 'tool-iterations'),
    batches: positiveInt(values.batches, quick ? 4 : 20, 'batches'),
    warmup: positiveInt(values.warmup, quick ? 30 : 500, 'warmup'),
    only: values.only as Impl | undefined,
    scenario: values.scenario as Scenario['key'] | undefined,
    out: resolve(values.out ?? join(BENCH_DIR, 'results', 'runner-overhead.json')),
  };
}

interface Contender {
  name: Impl;
  toolCalls(): number;
  run(scenario: Scenario): Promise<void>;
  /** Runs at the end of each timed batch, inside its time. */
  end?: () => void;
}

async function main(): Promise<void> {
  const options = readOptions();
  const swarm = options.only === 'openai' ? undefined : startSwarm();
  const openai = options.only === 'swarm' ? undefined : startOpenAIAgents();
  const contenders: Contender[] = [];
  if (swarm) {
    contenders.push({
      name: 'swarm',
      toolCalls: () => swarm.toolCalls,
      run: (s) => swarm.run(s),
      end: () => swarm.flush(),
    });
  }
  if (openai)
    contenders.push({ name: 'openai', toolCalls: () => openai.toolCalls, run: (s) => openai.run(s) });

  const started = performance.now();
  const loadBefore = loadAverage();
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of SCENARIOS) {
      if (options.scenario && options.scenario !== scenario.key) continue;
      const total = scenario.withTool ? options.toolIterations : options.iterations;
      const perBatch = Math.max(1, Math.ceil(total / options.batches));
      const expectedToolCalls = scenario.withTool ? TOOL_CALLS : 0;

      // warm-up, which also checks that each runtime follows the script
      for (const c of contenders) {
        const before = c.toolCalls();
        for (let i = 0; i < options.warmup; i++) await c.run(scenario);
        c.end?.();
        const perRun = (c.toolCalls() - before) / options.warmup;
        if (perRun !== expectedToolCalls) {
          throw new Error(`${c.name} made ${perRun} tool calls per run instead of ${expectedToolCalls}`);
        }
      }

      const storeBefore = swarm ? storeSnapshot(swarm.storeFile) : undefined;
      const samples = new Map(contenders.map((c) => [c.name, new Samples()]));
      for (let left = total; left > 0; left -= perBatch) {
        const runs = Math.min(perBatch, left);
        for (const c of contenders) await samples.get(c.name)!.batch(runs, () => c.run(scenario), c.end);
      }

      const result: ScenarioResult = {
        scenario: scenario.key,
        title: scenario.title,
        modelCalls: scenario.modelCalls,
        toolCallsPerRun: expectedToolCalls,
        issueGoalMs: ISSUE_GOAL_MS[scenario.key],
      };
      const swarmSamples = samples.get('swarm');
      if (swarm && swarmSamples && storeBefore) {
        result.swarm = swarmSamples.stats(scenario.modelCalls);
        const after = storeSnapshot(swarm.storeFile);
        const runs = after.runs - storeBefore.runs;
        if (runs !== total) throw new Error(`the store holds ${runs} of the ${total} measured runs`);
        result.store = {
          eventsPerRun: (after.events - storeBefore.events) / runs,
          bytesPerRun: (after.bytes - storeBefore.bytes) / runs,
          eventTypes: lastRunEventTypes(swarm.storeFile, scenario.agent),
        };
      }
      result.openai = samples.get('openai')?.stats(scenario.modelCalls);
      if (result.swarm && result.openai) {
        result.ratioMean = result.swarm.meanMs / result.openai.meanMs;
        result.ratioP50 = result.swarm.p50Ms / result.openai.p50Ms;
      }
      results.push(result);
    }
    if (swarm?.storeErrors.length) throw swarm.storeErrors[0];
  } finally {
    swarm?.close();
  }

  const report = {
    benchmark: 'runner-overhead',
    date: new Date().toISOString(),
    command: ['npx tsx bench/runner-overhead.ts', ...process.argv.slice(2)].join(' '),
    machine: machine(),
    loadAverage: { before: loadBefore, after: loadAverage() },
    versions: { '@openai/agents-core': packageVersion('@openai/agents-core'), ai: packageVersion('ai') },
    options: { ...options, out: undefined },
    durationS: Math.round((performance.now() - started) / 100) / 10,
    results,
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(markdown(report.machine, results));
  console.log(
    `\n${report.durationS} s measuring; load average ${report.loadAverage.before} → ${report.loadAverage.after}; JSON: ${options.out}`,
  );
}

function markdown(m: Machine, results: ScenarioResult[]): string {
  const lines = [
    `Node ${m.node}, ${m.nproc} CPUs (${m.cpu})`,
    '',
    '| run | runtime | mean ms / run | p50 ms | p95 ms | p99 ms | mean ms / model call | Swarm ÷ OpenAI (mean / p50) | events stored / run | store bytes / run |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    if (r.swarm) {
      const ratio =
        r.ratioMean === undefined
          ? ''
          : `${r.ratioMean.toFixed(2)}× / ${(r.ratioP50 ?? Number.NaN).toFixed(2)}×`;
      lines.push(
        `| ${r.title} | Swarm | ${ms(r.swarm.meanMs)} | ${ms(r.swarm.p50Ms)} | ${ms(r.swarm.p95Ms)} | ${ms(r.swarm.p99Ms)} | ` +
          `${ms(r.swarm.perModelCallMs)} | ${ratio} | ${r.store?.eventsPerRun.toFixed(0) ?? '–'} | ` +
          `${r.store ? Math.round(r.store.bytesPerRun) : '–'} |`,
      );
    }
    if (r.openai) {
      lines.push(
        `| ${r.title} | OpenAI Agents JS | ${ms(r.openai.meanMs)} | ${ms(r.openai.p50Ms)} | ${ms(r.openai.p95Ms)} | ${ms(r.openai.p99Ms)} | ` +
          `${ms(r.openai.perModelCallMs)} | | 0 (persists nothing) | 0 |`,
      );
    }
  }
  return lines.join('\n');
}

await main();
