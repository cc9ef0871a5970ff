/**
 * What the run store alone costs per run: the events of a 1-turn run (6) and
 * of a 10-tool run (36), recorded through `RunStore.record` exactly as the bus
 * delivers them (the store commits at `run.finished`), on the OS temp dir and
 * on /dev/shm (no disk). Reports the commit's median, its mean, and how much
 * of the total the slow commits (over 2 ms: WAL checkpoints with their fsync,
 * page-cache writeback) take.
 *
 *   npx tsx bench/store-commit.ts [--runs 10000] [--out bench/results/store-commit.json]
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AnyEvent } from '../src/core/events.js';
import { newId } from '../src/core/ids.js';
import { RunStore } from '../src/observe/run-store.js';
import { BENCH_DIR, loadAverage, machine, ms, positiveInt } from './lib/measure.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, out: { type: 'string' } } });
const RUNS = positiveInt(values.runs, 10_000, 'runs');
const WARMUP = Math.min(1000, Math.ceil(RUNS / 10));
const out = resolve(values.out ?? join(BENCH_DIR, 'results', 'store-commit.json'));

/** The events a run of `toolCalls` tool calls emits, as the runner emits them (model.delta is never stored). */
function runEvents(toolCalls: number): AnyEvent[] {
  const base = { runId: newId('run'), nodeId: newId('node'), agent: 'bench', depth: 0, ts: Date.now() };
  const events: Omit<AnyEvent, keyof typeof base>[] = [
    { type: 'run.started', data: { task: 'Say hello.', tenantId: 'default', budget: {} } },
    { type: 'agent.started', data: { task: 'Say hello.', fingerprint: '3fa2b1c0d9e8' } },
  ];
  for (let step = 1; step <= toolCalls + 1; step++) {
    const last = step === toolCalls + 1;
    events.push(
      {
        type: 'model.call',
        data: {
          model: 'bench:scripted',
          attempt: 1,
          ok: true,
          inputTokens: 20,
          outputTokens: 5,
          cachedTokens: 0,
          costUsd: 0,
          latencyMs: 0.05,
          finishReason: last ? 'stop' : 'tool-calls',
        },
      },
      {
        type: 'agent.step',
        data: {
          step,
          finishReason: last ? 'stop' : 'tool-calls',
          toolCalls: last ? 0 : 1,
          text: last ? 'Done.' : '',
        },
      },
    );
    if (!last) {
      events.push({
        type: 'tool.call',
        data: {
          tool: 'bench_echo',
          callId: `call_${step}`,
          args: `{"n":${step}}`,
          ok: true,
          result: `n=${step}`,
          latencyMs: 0.01,
        },
      });
    }
  }
  events.push(
    { type: 'agent.finished', data: { outcome: 'succeeded', output: 'Done.' } },
    { type: 'run.finished', data: { outcome: 'succeeded', output: 'Done.' } },
  );
  return events.map((e) => ({ ...base, ...e }) as AnyEvent);
}

function measure(parent: string, toolCalls: number) {
  const dir = mkdtempSync(join(parent, 'swarm-store-bench-'));
  const store = new RunStore(join(dir, 'swarm.db'));
  const times: number[] = [];
  try {
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const events = runEvents(toolCalls);
      const t0 = performance.now();
      for (const event of events) store.record(event);
      if (i >= WARMUP) times.push(performance.now() - t0);
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = Float64Array.from(times).sort();
  const total = times.reduce((a, b) => a + b, 0);
  const slow = times.filter((t) => t > 2);
  return {
    where: parent,
    events: runEvents(toolCalls).length,
    p50Ms: sorted[sorted.length >> 1]!,
    meanMs: total / times.length,
    slowCommits: slow.length,
    slowShare: slow.reduce((a, b) => a + b, 0) / total,
  };
}

const results = [];
for (const parent of [tmpdir(), ...(existsSync('/dev/shm') ? ['/dev/shm'] : [])]) {
  for (const toolCalls of [0, 10]) results.push({ toolCalls, ...measure(parent, toolCalls) });
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ benchmark: 'store-commit', date: new Date().toISOString(), machine: machine(), loadAverage: loadAverage(), runs: RUNS, results }, null, 2)}\n`,
);
console.log(
  '| store on | events / run | p50 ms / run | mean ms / run | runs over 2 ms | their share of the time |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(
    `| ${r.where} | ${r.events} | ${ms(r.p50Ms)} | ${ms(r.meanMs)} | ${r.slowCommits} of ${RUNS} | ${(100 * r.slowShare).toFixed(0)}% |`,
  );
}
console.log(`\nload average ${loadAverage()}; JSON: ${out}`);
