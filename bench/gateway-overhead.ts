/**
 * What the gateway adds to a request: the same chat completions sent to
 * the simulator directly, through a minimal node:http pass-through proxy
 * (the floor any proxy pays), and through the gateway, at concurrency 1, 16
 * and 64. Each server runs in its own process; targets are measured in
 * alternating rounds so drift in the machine's load hits all of them alike.
 *
 *   npx tsx bench/gateway-overhead.ts [--rounds 3]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedLoop, machine, numberArg, percentile, serve } from './gateway-kit.js';

const rounds = numberArg('--rounds', 3);
const CONCURRENCY = [1, 16, 64];
/** Requests per measured run at each concurrency. */
const REQUESTS: Record<number, number> = { 1: 1_500, 16: 6_400, 64: 9_600 };
const TARGETS = ['direct', 'proxy', 'gateway'] as const;
type Target = (typeof TARGETS)[number];

const sim = await serve('sim', JSON.stringify({ models: ['m'], rules: [{ reply: { content: 'ok' } }] }));
const upstream = sim.urls[0] as string;
const proxy = await serve('proxy', upstream);
const gateway = await serve(
  'gateway',
  JSON.stringify({
    listen: { port: 0 },
    backends: [{ name: 'sim', url: upstream, type: 'vllm', models: ['m'] }],
  }),
);
const url: Record<Target, string> = {
  direct: upstream,
  proxy: proxy.urls[0] as string,
  gateway: gateway.urls[0] as string,
};

const bodies = {
  plain: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello' }], max_tokens: 16 }),
  stream: JSON.stringify({
    model: 'm',
    messages: [{ role: 'user', content: 'hello' }],
    max_tokens: 16,
    stream: true,
  }),
};

interface Row {
  mode: keyof typeof bodies;
  concurrency: number;
  target: Target;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  /** CPU time the proxy or gateway process spent per request (user + system); 0 for direct. */
  middleCpuMicros: number;
  errors: number;
}

const rows: Row[] = [];
for (const mode of ['plain', 'stream'] as const) {
  for (const c of CONCURRENCY) {
    const latencies: Record<Target, number[]> = { direct: [], proxy: [], gateway: [] };
    const throughput: Record<Target, number[]> = { direct: [], proxy: [], gateway: [] };
    const errors: Record<Target, number> = { direct: 0, proxy: 0, gateway: 0 };
    const cpu: Record<Target, { micros: number; requests: number }> = {
      direct: { micros: 0, requests: 0 },
      proxy: { micros: 0, requests: 0 },
      gateway: { micros: 0, requests: 0 },
    };
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round, so no target always runs first (or last) in a round.
      const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length] as Target);
      for (const target of order) {
        const path = `${url[target]}/chat/completions`;
        await closedLoop(path, bodies[mode], c, Math.max(20, Math.ceil(200 / c)));
        const middle = target === 'proxy' ? proxy : target === 'gateway' ? gateway : undefined;
        const before = await middle?.cpu();
        const run = await closedLoop(path, bodies[mode], c, Math.ceil((REQUESTS[c] ?? 1_000) / c));
        const after = await middle?.cpu();
        if (before && after) {
          cpu[target].micros +=
            after.userMicros + after.systemMicros - before.userMicros - before.systemMicros;
          cpu[target].requests += run.latenciesMs.length;
        }
        latencies[target].push(...run.latenciesMs);
        throughput[target].push((run.latenciesMs.length / run.wallMs) * 1000);
        errors[target] += run.errors;
      }
    }
    for (const target of TARGETS) {
      const sorted = latencies[target].sort((a, b) => a - b);
      const tps = throughput[target].sort((a, b) => a - b);
      rows.push({
        mode,
        concurrency: c,
        target,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        requestsPerSecond: percentile(tps, 0.5),
        middleCpuMicros: cpu[target].requests === 0 ? 0 : cpu[target].micros / cpu[target].requests,
        errors: errors[target],
      });
    }
    const row = (t: Target) =>
      rows.find((r) => r.mode === mode && r.concurrency === c && r.target === t) as Row;
    const [d, p, g] = [row('direct'), row('proxy'), row('gateway')];
    console.log(
      `${mode.padEnd(6)} c=${String(c).padEnd(3)} p50 direct ${d.p50Ms.toFixed(3)} proxy ${p.p50Ms.toFixed(3)} gateway ${g.p50Ms.toFixed(3)} ms ` +
        `(added: proxy +${(p.p50Ms - d.p50Ms).toFixed(3)}, gateway +${(g.p50Ms - d.p50Ms).toFixed(3)}) | ` +
        `req/s direct ${d.requestsPerSecond.toFixed(0)} proxy ${p.requestsPerSecond.toFixed(0)} gateway ${g.requestsPerSecond.toFixed(0)} ` +
        `(gateway/proxy ${((g.requestsPerSecond / p.requestsPerSecond) * 100).toFixed(1)}%) | ` +
        `CPU/request proxy ${p.middleCpuMicros.toFixed(0)} µs, gateway ${g.middleCpuMicros.toFixed(0)} µs | errors ${d.errors + p.errors + g.errors}`,
    );
  }
}

await Promise.all([gateway.stop(), proxy.stop()]);
await sim.stop();
const out = {
  bench: 'gateway-overhead',
  date: new Date().toISOString(),
  machine: machine(),
  rounds,
  requests: REQUESTS,
  rows,
};
writeFileSync(
  join(import.meta.dirname, 'results', 'gateway-overhead.json'),
  `${JSON.stringify(out, null, 2)}\n`,
);
console.log('written to bench/results/gateway-overhead.json');
