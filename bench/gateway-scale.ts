/**
 * Scale: 2,000 streaming chat completions at once through the gateway to
 * four simulated backends (one process), twice over. Every stream must end
 * with [DONE] and no error event; the gateway's resident memory is sampled
 * throughout, so growth between the rounds would show.
 *
 *   npx tsx bench/gateway-scale.ts [--streams 2000] [--rounds 2]
 */
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { machine, memoryOf, numberArg, percentile, serve } from './gateway-kit.js';

const STREAMS = numberArg('--streams', 2_000);
const ROUNDS = numberArg('--rounds', 2);
const REPLY = 'All of these streams are open at the same time; '.repeat(4);

const sims = await serve(
  'sim',
  JSON.stringify({ models: ['m'], rules: [{ reply: { content: REPLY, chunkSize: 8, chunkDelayMs: 40 } }] }),
  '4',
);
const gateway = await serve(
  'gateway',
  JSON.stringify({
    listen: { port: 0 },
    backends: sims.urls.map((url, i) => ({ name: `sim-${i + 1}`, url, type: 'vllm', models: ['m'] })),
    routing: { default: { policy: 'least-loaded' } },
  }),
);
const viaGateway = new URL(`${gateway.urls[0]}/chat/completions`);
const direct = sims.urls.map((url) => new URL(`${url}/chat/completions`));
const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'go' }], stream: true });

interface Outcome {
  ok: boolean;
  ms: number;
  events: number;
  problem?: string;
}

function stream(agent: Agent, target: URL): Promise<Outcome> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (part: string) => {
          text += part;
        });
        res.on('end', () => {
          const events = text.split('\n\n').filter((e) => e.startsWith('data: '));
          const problem =
            res.statusCode !== 200
              ? `HTTP ${res.statusCode}: ${text.slice(0, 200)}`
              : events.at(-1) !== 'data: [DONE]'
                ? 'no [DONE]'
                : events.some((e) => e.includes('"error"'))
                  ? 'error event'
                  : undefined;
          resolve({
            ok: problem === undefined,
            ms: performance.now() - t0,
            events: events.length,
            ...(problem ? { problem } : {}),
          });
        });
        res.on('error', (error) =>
          resolve({ ok: false, ms: performance.now() - t0, events: 0, problem: String(error) }),
        );
      },
    );
    req.on('error', (error) =>
      resolve({ ok: false, ms: performance.now() - t0, events: 0, problem: String(error) }),
    );
    req.end(body);
  });
}

/** Opens every stream at once, to one URL or spread over several, and checks each to its end. */
async function burst(targets: URL[], sample?: () => void) {
  const agent = new Agent({ keepAlive: true, maxSockets: STREAMS });
  const sampler = sample && setInterval(sample, 50);
  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: STREAMS }, (_, i) => stream(agent, targets[i % targets.length] as URL)),
  );
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  agent.destroy();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const failures = outcomes.filter((o) => !o.ok);
  return {
    streams: STREAMS,
    ok: outcomes.length - failures.length,
    failures: failures.length,
    firstProblems: [...new Set(failures.map((f) => f.problem))].slice(0, 5),
    eventsPerStream: outcomes[0]?.events,
    wallMs,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
  };
}

const describe = (r: Awaited<ReturnType<typeof burst>>) =>
  `${r.ok}/${r.streams} streams ok (${r.failures} failed${r.failures ? `: ${r.firstProblems.join('; ')}` : ''}), ` +
  `${r.eventsPerStream} events each, wall ${(r.wallMs / 1000).toFixed(2)} s, p50 ${r.p50Ms.toFixed(0)} ms, p99 ${r.p99Ms.toFixed(0)} ms`;

// The baseline: the same streams straight to the simulators, spread evenly.
const baseline = await burst(direct);
console.log(`direct: ${describe(baseline)}`);
const before = { ...memoryOf(gateway.pid), ...(await gateway.memory()) };
const rounds = [];
for (let round = 1; round <= ROUNDS; round++) {
  let peakRss = 0;
  const result = {
    round,
    ...(await burst([viaGateway], () => {
      peakRss = Math.max(peakRss, memoryOf(gateway.pid).rssMiB);
    })),
  };
  const afterGc = await gateway.memory();
  rounds.push({ ...result, gatewayPeakRssMiB: peakRss, gatewayAfterGc: afterGc });
  console.log(
    `gateway round ${round}: ${describe(result)}; gateway RSS peak ${peakRss.toFixed(1)} MiB; ` +
      `after, with garbage collected: heap ${afterGc.heapUsedMiB.toFixed(1)} MiB, RSS ${afterGc.rssMiB.toFixed(1)} MiB`,
  );
}
const after = memoryOf(gateway.pid);
await gateway.stop();
await sims.stop();
console.log(
  `gateway at start: heap ${before.heapUsedMiB.toFixed(1)} MiB, RSS ${before.rssMiB.toFixed(1)} MiB; RSS high-water mark ${after.peakMiB.toFixed(1)} MiB`,
);
const out = {
  bench: 'gateway-scale',
  date: new Date().toISOString(),
  machine: machine(),
  setup: {
    streams: STREAMS,
    backends: sims.urls.length,
    reply: { chars: REPLY.length, chunkChars: 8, chunkDelayMs: 40 },
  },
  gatewayMemory: {
    startHeapMiB: before.heapUsedMiB,
    startRssMiB: before.rssMiB,
    highWaterRssMiB: after.peakMiB,
  },
  rounds,
};
writeFileSync(
  join(import.meta.dirname, 'results', 'gateway-scale.json'),
  `${JSON.stringify(out, null, 2)}\n`,
);
console.log('written to bench/results/gateway-scale.json');
