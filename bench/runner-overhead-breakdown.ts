/**
 * Where Swarm's per-run overhead goes: the runner-overhead runs measured on
 * variants of the runtime that each drop one cost, in alternating batches,
 * plus the unit cost of the small operations every run repeats.
 *
 *   full      the store on the OS temp dir and the options `swarm run` passes (what runner-overhead measures)
 *   tmpfs     the same with the store on /dev/shm: no disk, SQLite's own work stays
 *   no-store  the store detached from the bus: the runner, the model client and the context alone
 *   bare      no store and none of the CLI's options (no deadline timer, no outer abort signal)
 *
 *   npx tsx bench/runner-overhead-breakdown.ts [--iterations 5000] [--tool-iterations 1000] [--batches 10]
 *     [--warmup 300] [--quick] [--out bench/results/runner-overhead-breakdown.json]
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CascadeContext } from '../src/core/context.js';
import { EventBus } from '../src/core/events.js';
import { taskFingerprint } from '../src/core/fingerprint.js';
import { newId } from '../src/core/ids.js';
import { BENCH_DIR, loadAverage, machine, ms, positiveInt, Samples, type Stats } from './lib/measure.js';
import { SCENARIOS } from './lib/script.js';
import { type SwarmBench, type SwarmBenchOptions, startSwarm } from './lib/swarm.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string' },
    'tool-iterations': { type: 'string' },
    batches: { type: 'string' },
    warmup: { type: 'string' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const quick = values.quick;
const options = {
  iterations: positiveInt(values.iterations, quick ? 200 : 5000, 'iterations'),
  toolIterations: positiveInt(values['tool-iterations'], quick ? 40 : 1000, 'tool-iterations'),
  batches: positiveInt(values.batches, quick ? 4 : 10, 'batches'),
  warmup: positiveInt(values.warmup, quick ? 30 : 300, 'warmup'),
};
const out = resolve(values.out ?? join(BENCH_DIR, 'results', 'runner-overhead-breakdown.json'));

const VARIANTS: [string, SwarmBenchOptions][] = [
  ['full', {}],
  ...(existsSync('/dev/shm')
    ? ([['tmpfs', { parentDir: '/dev/shm' }]] as [string, SwarmBenchOptions][])
    : []),
  ['no-store', { store: 'none' }],
  ['bare', { store: 'none', cliOptions: false }],
];

/** Mean µs per call of `fn`, over enough calls to take about 200 ms. */
function unitCost(fn: () => unknown): number {
  for (let i = 0; i < 2_000; i++) fn();
  let n = 1_000;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    const elapsed = performance.now() - t0;
    if (elapsed > 200) return (elapsed * 1000) / n;
    n *= 2;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const benches = VARIANTS.map(([name, variant]) => [name, startSwarm(variant)] as [string, SwarmBench]);
  const results: { scenario: string; variants: Record<string, Stats> }[] = [];
  try {
    for (const scenario of SCENARIOS) {
      for (const [, bench] of benches) {
        for (let i = 0; i < options.warmup; i++) await bench.run(scenario);
        bench.flush();
      }
      const total = scenario.withTool ? options.toolIterations : options.iterations;
      const perBatch = Math.max(1, Math.ceil(total / options.batches));
      const samples = benches.map(() => new Samples());
      for (let left = total; left > 0; left -= perBatch) {
        const runs = Math.min(perBatch, left);
        for (const [i, [, bench]] of benches.entries())
          await samples[i]!.batch(
            runs,
            () => bench.run(scenario),
            () => bench.flush(),
          );
      }
      results.push({
        scenario: scenario.key,
        variants: Object.fromEntries(
          benches.map(([name], i) => [name, samples[i]!.stats(scenario.modelCalls)]),
        ),
      });
    }
  } finally {
    for (const [, bench] of benches) bench.close();
  }

  const bus = new EventBus();
  const task = SCENARIOS[0]!.task;
  const units: Record<string, number> = {
    'newId() (2 per run: run and root node)': unitCost(() => newId('node')),
    'crypto.randomBytes(8) alone': unitCost(() => randomBytes(8)),
    'taskFingerprint() (1 per context)': unitCost(() => taskFingerprint(task)),
    'CascadeContext.createRun, no deadline or signal': unitCost(() =>
      CascadeContext.createRun({ agent: 'a', task, events: bus }).release(),
    ),
    'CascadeContext.createRun with deadline and outer signal (as swarm run)': unitCost(() =>
      CascadeContext.createRun({
        agent: 'a',
        task,
        events: bus,
        deadline: Date.now() + 900_000,
        signal: new AbortController().signal,
      }).release(),
    ),
  };

  const report = {
    benchmark: 'runner-overhead-breakdown',
    date: new Date().toISOString(),
    command: ['npx tsx bench/runner-overhead-breakdown.ts', ...process.argv.slice(2)].join(' '),
    machine: machine(),
    loadAverage: loadAverage(),
    options,
    durationS: Math.round((performance.now() - started) / 100) / 10,
    results,
    unitCostsUs: units,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  const names = VARIANTS.map(([name]) => name);
  console.log(`| run | ${names.map((n) => `${n} mean / p50 ms`).join(' | ')} |`);
  console.log(`| --- | ${names.map(() => '---:').join(' | ')} |`);
  for (const r of results) {
    const cells = names.map((n) => `${ms(r.variants[n]?.meanMs)} / ${ms(r.variants[n]?.p50Ms)}`);
    console.log(`| ${r.scenario} | ${cells.join(' | ')} |`);
  }
  console.log('\n| operation | µs per call |\n| --- | ---: |');
  for (const [what, us] of Object.entries(units)) console.log(`| ${what} | ${us.toFixed(2)} |`);
  console.log(`\n${report.durationS} s; load average ${report.loadAverage}; JSON: ${out}`);
}

await main();
