/**
 * What observability costs a run, and what the audit log's hash chain costs
 * a write.
 *
 * 1. Per-run time of the 10-tool run (11 model calls, 10 tool calls, every
 *    event stored in SQLite) in three runtimes measured in alternating
 *    batches: the runtime alone (the baseline), with `startObservability`
 *    and tracing off (audit log on: what `swarm run` does by default), and
 *    with tracing on (spans built for the run, the agent, each step, model
 *    and tool call, batched to an exporter that discards them).
 * 2. Audit records appended per second through `AuditLog` (canonical JSON,
 *    SHA-256 chain, batched write + fsync per event-loop turn) against the
 *    same lines written with the same batching and fsync, without hashing.
 *
 *   npx tsx bench/observe-overhead.ts [--runs 3000] [--batches 10] [--records 100000] [--quick]
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../src/core/config.js';
import { AuditLog, configRedactor, type Observability, startObservability } from '../src/observe/index.js';
import { loadAverage, ms, positiveInt, Samples } from './lib/measure.js';
import { SCENARIOS } from './lib/script.js';
import { startSwarm } from './lib/swarm.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    batches: { type: 'string' },
    records: { type: 'string' },
    quick: { type: 'boolean' },
  },
});
const quick = values.quick === true;
const runs = positiveInt(values.runs, quick ? 300 : 3000, '--runs');
const batches = positiveInt(values.batches, quick ? 4 : 10, '--batches');
const records = positiveInt(values.records, quick ? 10_000 : 100_000, '--records');
const scenario = SCENARIOS.find((s) => s.key === 'ten-tools')!;

class DiscardingExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans += spans.length;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

async function runOverhead() {
  const variants = ['baseline', 'tracing off', 'tracing on'] as const;
  const exporter = new DiscardingExporter();
  const benches = variants.map(() => startSwarm());
  const observe = (i: number, tracing?: { exporters: SpanExporter[] }) =>
    startObservability({
      events: benches[i]!.runtime.events,
      config: {
        ...benches[i]!.runtime.config,
        audit: { enabled: true, file: join(benches[i]!.dir, 'audit.jsonl') },
      },
      tools: benches[i]!.runtime.tools,
      ...(tracing ? { tracing } : { env: {} }),
    });
  const observers: Observability[] = [await observe(1), await observe(2, { exporters: [exporter] })];
  const samples = variants.map(() => new Samples());
  for (const b of benches) for (let i = 0; i < Math.min(200, runs / 10); i++) await b.run(scenario);
  const perBatch = Math.ceil(runs / batches);
  for (let batch = 0; batch < batches; batch++) {
    for (let i = 0; i < benches.length; i++) {
      // rotate which variant goes first, so drift and load fall on all of them
      const order = (i + batch) % benches.length;
      const bench = benches[order]!;
      await samples[order]!.batch(
        perBatch,
        () => bench.run(scenario),
        () => bench.flush(),
      );
    }
  }
  await observers[1]!.tracing!.forceFlush();
  const stats = samples.map((s) => s.stats(scenario.modelCalls));
  for (const o of observers) await o.close();
  for (const b of benches) b.close();
  return { variants, stats, spansExported: exporter.spans };
}

async function auditThroughput() {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-audit-bench-'));
  const entry = (i: number) => ({
    kind: 'delegation',
    runId: 'run_01JBENCH',
    actor: 'planner',
    data: {
      nodeId: 'node_01JBENCH',
      depth: 1,
      to: 'coder',
      childNodeId: `node_${i}`,
      task: 'Refactor the parser.',
    },
  });
  const turn = () => new Promise((r) => setImmediate(r));
  const BATCH = 100;
  const log = AuditLog.open(join(dir, 'audit.jsonl'));
  let start = performance.now();
  for (let i = 0; i < records; i++) {
    log.append(entry(i));
    if (i % BATCH === BATCH - 1) await turn();
  }
  log.close();
  const chained = performance.now() - start;

  const fd = openSync(join(dir, 'plain.jsonl'), 'a');
  let pending: string[] = [];
  start = performance.now();
  for (let i = 0; i < records; i++) {
    pending.push(`${JSON.stringify({ seq: i + 1, ts: Date.now(), ...entry(i) })}\n`);
    if (i % BATCH === BATCH - 1) {
      writeSync(fd, pending.join(''));
      fsyncSync(fd);
      pending = [];
      await turn();
    }
  }
  if (pending.length) writeSync(fd, pending.join(''));
  fsyncSync(fd);
  closeSync(fd);
  const plain = performance.now() - start;
  rmSync(dir, { recursive: true, force: true });
  return { chainedPerSec: records / (chained / 1000), plainPerSec: records / (plain / 1000) };
}

/** The store redacts every event payload before writing it; the baseline is the JSON.stringify it does anyway. */
function redactionCost() {
  const redactor = configRedactor({ ...loadConfig({ cwd: tmpdir() }) });
  const payloads = Array.from({ length: 1000 }, (_, i) => ({
    tool: 'search_text',
    callId: `call_${i}`,
    args: JSON.stringify({ pattern: `parse${i}`, path: 'src/', context: 'x'.repeat(150) }),
    ok: true,
    result: `src/parser.ts:${i}: export function parse${i}(input: string) {`.repeat(4),
    latencyMs: 1.25,
  }));
  const rounds = quick ? 20 : 100;
  const time = (fn: (p: (typeof payloads)[number]) => unknown) => {
    const start = performance.now();
    for (let r = 0; r < rounds; r++) for (const p of payloads) fn(p);
    return ((performance.now() - start) * 1000) / (rounds * payloads.length);
  };
  time((p) => JSON.stringify(redactor.value(p)));
  const stringify = time((p) => JSON.stringify(p));
  const redacted = time((p) => JSON.stringify(redactor.value(p)));
  return { stringifyUs: stringify, redactedUs: redacted };
}

const overhead = await runOverhead();
const redaction = redactionCost();
const audit = await auditThroughput();
const base = overhead.stats[0]!;
console.log(
  `load average ${loadAverage()?.toFixed(2) ?? '?'}; ${runs} runs of the ${scenario.title} per variant`,
);
console.log('| variant | mean ms/run | p50 ms | p95 ms | mean ÷ baseline |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [i, v] of overhead.variants.entries()) {
  const s = overhead.stats[i]!;
  console.log(
    `| ${v} | ${ms(s.meanMs)} | ${ms(s.p50Ms)} | ${ms(s.p95Ms)} | ${(s.meanMs / base.meanMs).toFixed(2)}× |`,
  );
}
console.log(`spans exported with tracing on: ${overhead.spansExported}`);
console.log(
  `store redaction of a tool.call payload: ${redaction.redactedUs.toFixed(2)} µs with JSON.stringify, ` +
    `JSON.stringify alone ${redaction.stringifyUs.toFixed(2)} µs (${(redaction.redactedUs / redaction.stringifyUs).toFixed(1)}×)`,
);
console.log(
  `audit log: ${Math.round(audit.chainedPerSec)} records/s chained and fsynced in batches of 100; ` +
    `plain lines, same batching and fsync: ${Math.round(audit.plainPerSec)} lines/s; ` +
    `ratio ${(audit.chainedPerSec / audit.plainPerSec).toFixed(2)}`,
);
