/**
 * What the gateway adds to a request: the same chat completions sent to
 * the simulator directly, through a minimal node:http pass-through proxy
 * (the floor any proxy pays), and through the gateway, at concurrency 1, 16
 * and 64. Each server runs in its own process; targets are measured in
 * alternating rounds so drift in the machine's load hits all of them alike.
 * A second pair measures a cloud provider backend: the Anthropic Messages
 * request sent to the simulator directly, against the OpenAI request sent
 * to a gateway whose backend is `provider: anthropic` on that simulator
 * (converted to a model-layer call, the AI SDK's Anthropic provider, and
 * back to OpenAI's format).
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
const TARGETS = ['direct', 'proxy', 'gateway', 'direct-anthropic', 'provider'] as const;
type Target = (typeof TARGETS)[number];
/** The provider backend needs a key variable; the simulator takes any key. */
process.env.BENCH_ANTHROPIC_KEY = 'sk-bench';

const sim = await serve(
  'sim',
  JSON.stringify({ models: ['m', 'claude-haiku-4-5'], rules: [{ reply: { content: 'ok' } }] }),
);
const upstream = sim.urls[0] as string;
const proxy = await serve('proxy', upstream);
const gateway = await serve(
  'gateway',
  JSON.stringify({
    listen: { port: 0 },
    backends: [{ name: 'sim', url: upstream, type: 'vllm', models: ['m'] }],
  }),
);
const provider = await serve(
  'gateway',
  JSON.stringify({
    listen: { port: 0 },
    backends: [
      {
        name: 'claude',
        type: 'provider',
        provider: 'anthropic',
        url: upstream,
        apiKeyEnv: 'BENCH_ANTHROPIC_KEY',
        models: { m: 'claude-haiku-4-5' },
      },
    ],
  }),
);
const url: Record<Target, string> = {
  direct: `${upstream}/chat/completions`,
  proxy: `${proxy.urls[0]}/chat/completions`,
  gateway: `${gateway.urls[0]}/chat/completions`,
  'direct-anthropic': `${upstream}/messages`,
  provider: `${provider.urls[0]}/chat/completions`,
};

const openAi = (stream: boolean) =>
  JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello' }], max_tokens: 16, stream });
const anthropic = (stream: boolean) =>
  JSON.stringify({
    model: 'claude-haiku-4-5',
    messages: [{ role: 'user', content: 'hello' }],
    max_tokens: 16,
    stream,
  });
const bodies = {
  plain: (t: Target) => (t === 'direct-anthropic' ? anthropic(false) : openAi(false)),
  stream: (t: Target) => (t === 'direct-anthropic' ? anthropic(true) : openAi(true)),
};
const processOf: Partial<Record<Target, typeof proxy>> = { proxy, gateway, provider };

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
    const per = <T>(make: () => T) =>
      Object.fromEntries(TARGETS.map((t) => [t, make()])) as Record<Target, T>;
    const latencies = per<number[]>(() => []);
    const throughput = per<number[]>(() => []);
    const errors = per(() => 0);
    const cpu = per(() => ({ micros: 0, requests: 0 }));
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round, so no target always runs first (or last) in a round.
      const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length] as Target);
      for (const target of order) {
        const path = url[target];
        const body = bodies[mode](target);
        await closedLoop(path, body, c, Math.max(20, Math.ceil(200 / c)));
        const middle = processOf[target];
        const before = await middle?.cpu();
        const run = await closedLoop(path, body, c, Math.ceil((REQUESTS[c] ?? 1_000) / c));
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
    const [d, p, g, a, v] = [
      row('direct'),
      row('proxy'),
      row('gateway'),
      row('direct-anthropic'),
      row('provider'),
    ];
    console.log(
      `${mode.padEnd(6)} c=${String(c).padEnd(3)} p50 direct ${d.p50Ms.toFixed(3)} proxy ${p.p50Ms.toFixed(3)} gateway ${g.p50Ms.toFixed(3)} ms ` +
        `(added: proxy +${(p.p50Ms - d.p50Ms).toFixed(3)}, gateway +${(g.p50Ms - d.p50Ms).toFixed(3)}) | ` +
        `req/s direct ${d.requestsPerSecond.toFixed(0)} proxy ${p.requestsPerSecond.toFixed(0)} gateway ${g.requestsPerSecond.toFixed(0)} ` +
        `(gateway/proxy ${((g.requestsPerSecond / p.requestsPerSecond) * 100).toFixed(1)}%) | ` +
        `CPU/request proxy ${p.middleCpuMicros.toFixed(0)} µs, gateway ${g.middleCpuMicros.toFixed(0)} µs | errors ${d.errors + p.errors + g.errors}`,
    );
    console.log(
      `${''.padEnd(6)} provider backend: p50 direct ${a.p50Ms.toFixed(3)} through the gateway ${v.p50Ms.toFixed(3)} ms (added +${(v.p50Ms - a.p50Ms).toFixed(3)}) | ` +
        `req/s direct ${a.requestsPerSecond.toFixed(0)} gateway ${v.requestsPerSecond.toFixed(0)} | CPU/request ${v.middleCpuMicros.toFixed(0)} µs | errors ${a.errors + v.errors}`,
    );
  }
}

await Promise.all([gateway.stop(), proxy.stop(), provider.stop()]);
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
