/**
 * Routing quality, in a seeded and deterministic simulation: the gateway's
 * own routing policies (round-robin, least-loaded, power-of-two,
 * cache-aware) and an oracle that knows every server's cache and queues,
 * each routing the same workload to the same simulated fleet at 50, 80 and
 * 95% of its nominal capacity. Virtual time, so the figures do not depend
 * on the machine and two runs print the same numbers.
 *
 *   npx tsx bench/gateway-routing.ts [--requests 3000]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type GatewayConfigInput,
  ModelRouter,
  type PolicyName,
  parseGatewayConfig,
} from '../src/gateway/index.js';
import { decodeMsPerToken, type PerformanceProfile, PrefixCache, prefillMs } from '../src/sim/index.js';
import { numberArg } from './gateway-kit.js';
import { Clock, SimBackend, type SimRequest } from './gateway-routing-engine.js';
import { seeded, WORKLOAD, Workload } from './gateway-routing-workload.js';

const PROFILE: PerformanceProfile = {
  prefillMsPerToken: 0.25,
  decodeMsPerToken: 20,
  decodeMsPerRunning: 0.5,
};
const FLEET = [
  { name: 'gpu-1', slowdown: 1 },
  { name: 'gpu-2', slowdown: 1 },
  { name: 'gpu-3', slowdown: 1 },
  { name: 'gpu-slow', slowdown: 2 },
];
const SLOTS = 16;
const CACHE_BLOCKS = 2_000;
const TTFT_SLO_MS = 2_000;
const LOADS = [0.5, 0.8, 0.95];
const POLICIES = ['round-robin', 'least-loaded', 'power-of-two', 'cache-aware', 'oracle'] as const;
type Contender = (typeof POLICIES)[number];
/**
 * The cache-aware settings under test: the gateway's defaults, plus each
 * server's KV capacity in index chunks (blocks × 16 tokens × 4 characters
 * per 256-character chunk), as a user would configure it.
 */
const ROUTE: GatewayConfigInput['routing'] = {
  default: { policy: 'cache-aware', cache: { backendChunks: (CACHE_BLOCKS * 16 * 4) / 256 } },
};

const requests = numberArg('--requests', 3_000);
const workload = new Workload(WORKLOAD);
const keyer = new PrefixCache(1);
const memo = new Map<string, { prompt: string; tokens: number; blocks: string[] }>();

function shape(key: string, prompt: string) {
  let hit = memo.get(key);
  if (!hit) {
    hit = { prompt, tokens: Math.ceil(prompt.length / 4), blocks: keyer.keys('m', prompt) };
    memo.set(key, hit);
  }
  return hit;
}

/** Mean prompt and output tokens of the workload, from a sample of it. */
function workloadMeans() {
  let prompt = 0;
  let output = 0;
  let n = 0;
  for (let s = 0; s < 200; s++) {
    const session = workload.session(s);
    session.turns.forEach((turn, t) => {
      prompt += workload.prompt(session, t).length / 4;
      output += turn.outputTokens;
      n += 1;
    });
  }
  const uniques = (n * WORKLOAD.uniqueShare) / (1 - WORKLOAD.uniqueShare);
  return {
    prompt: (prompt + uniques * WORKLOAD.uniqueTokens) / (n + uniques),
    output: (output + (uniques * (WORKLOAD.outputTokens[0] + WORKLOAD.outputTokens[1])) / 2) / (n + uniques),
  };
}

const MEANS = workloadMeans();

/**
 * Nominal capacity in requests per second: per server, the lower of its
 * decode rate with a full batch and its prefill rate with half of each
 * prompt cached, scaled by its speed.
 */
function capacity(): number {
  const decode = SLOTS / ((MEANS.output * decodeMsPerToken(PROFILE, SLOTS)) / 1000);
  const prefill = 1000 / prefillMs(PROFILE, MEANS.prompt / 2);
  return FLEET.reduce((sum, b) => sum + Math.min(decode, prefill) / b.slowdown, 0);
}

function routerFor(policy: PolicyName, members: SimBackend[]): ModelRouter<SimBackend> {
  const config = parseGatewayConfig({
    backends: [{ name: 'x', url: 'http://127.0.0.1:1/v1', models: ['m'] }],
    routing: { default: { ...ROUTE?.default, policy } },
  });
  return new ModelRouter(members, config.routing.default, seeded(99));
}

/** How much later than the fastest estimate the oracle accepts, to land where the prompt is cached. */
const ORACLE_SLACK_MS = 250;

/**
 * The oracle sees every server's real cache and queues: it estimates each
 * server's time to first token for this request and, among those within
 * ORACLE_SLACK_MS of the best, takes the one with the most of the prompt
 * cached (which keeps prefixes together for the requests that follow).
 */
function oracle(fleet: SimBackend[], r: SimRequest, meanServiceMs: number): SimBackend {
  const estimates = fleet.map((b) => ({
    b,
    ttft: b.estimateTtft(r, meanServiceMs),
    cached: b.cache.peekKeys(r.blocks),
  }));
  const best = Math.min(...estimates.map((e) => e.ttft));
  const near = estimates.filter((e) => e.ttft <= best + ORACLE_SLACK_MS);
  near.sort((x, y) => y.cached - x.cached || x.ttft - y.ttft);
  return (near[0] as (typeof estimates)[number]).b;
}

interface Result {
  policy: Contender;
  load: number;
  rate: number;
  completed: number;
  hitRatio: number;
  ttftP50Ms: number;
  ttftP99Ms: number;
  goodput: number;
  imbalance: number;
  shares: Record<string, number>;
}

function simulate(policy: Contender, load: number): Result {
  const clock = new Clock();
  const finished: SimRequest[] = [];
  const served = new Map<string, number>();
  let nextId = 0;
  const meanServiceMs = MEANS.output * decodeMsPerToken(PROFILE, SLOTS);
  const fleet: SimBackend[] = FLEET.map(
    (b) =>
      new SimBackend(b.name, SLOTS, b.slowdown, CACHE_BLOCKS, PROFILE, clock, (r, backend) => {
        finished.push(r);
        served.set(backend.name, (served.get(backend.name) ?? 0) + 1);
        const next = r.session && sessions.get(r.session.id);
        if (next && r.session && r.session.turn + 1 < next.turns.length) {
          const think = next.turns[r.session.turn]?.thinkMs ?? 0;
          clock.at(clock.now + think, () => send(next, (r.session?.turn ?? 0) + 1));
        }
      }),
  );
  const router = policy === 'oracle' ? undefined : routerFor(policy, fleet);
  const sessions = new Map<number, ReturnType<Workload['session']>>();
  const route = (r: SimRequest) => {
    let target: SimBackend;
    if (router)
      target = router.pick(fleet, { promptText: () => r.prompt, session: undefined }, clock.now).backend;
    else target = oracle(fleet, r, meanServiceMs);
    target.submit(r);
  };
  const send = (session: ReturnType<Workload['session']>, turn: number) => {
    const s = shape(`s${session.id}:${turn}`, workload.prompt(session, turn));
    route({
      id: nextId++,
      prompt: s.prompt,
      promptTokens: s.tokens,
      outputTokens: session.turns[turn]?.outputTokens ?? 1,
      blocks: s.blocks,
      arrival: clock.now,
      session: { id: session.id, turn },
    });
  };
  const rate = capacity() * load;
  for (const arrival of workload.arrivals(rate, requests, 7)) {
    clock.at(arrival.at, () => {
      if (arrival.kind === 'session') {
        const session = workload.session(arrival.id);
        sessions.set(session.id, session);
        send(session, 0);
      } else {
        const u = workload.unique(arrival.id);
        const s = shape(`u${arrival.id}`, u.prompt);
        route({
          id: nextId++,
          prompt: s.prompt,
          promptTokens: s.tokens,
          outputTokens: u.outputTokens,
          blocks: s.blocks,
          arrival: clock.now,
        });
      }
    });
  }
  clock.run();
  const end = clock.now;
  const ttfts = finished.map((r) => (r.firstToken as number) - r.arrival).sort((a, b) => a - b);
  const at = (q: number) => ttfts[Math.min(ttfts.length - 1, Math.floor(q * ttfts.length))] ?? Number.NaN;
  const prompt = finished.reduce((sum, r) => sum + r.promptTokens, 0);
  const cached = finished.reduce((sum, r) => sum + (r.cachedTokens ?? 0), 0);
  const means = fleet.map((b) => b.meanInFlight(end));
  const mean = means.reduce((a, b) => a + b, 0) / means.length;
  return {
    policy,
    load,
    rate,
    completed: finished.length,
    hitRatio: cached / prompt,
    ttftP50Ms: at(0.5),
    ttftP99Ms: at(0.99),
    goodput: ttfts.filter((t) => t <= TTFT_SLO_MS).length / (end / 1000),
    imbalance: Math.max(...means) / mean,
    shares: Object.fromEntries(fleet.map((b) => [b.name, (served.get(b.name) ?? 0) / finished.length])),
  };
}

const results: Result[] = [];
const started = performance.now();
for (const load of LOADS) {
  for (const policy of POLICIES) {
    const r = simulate(policy, load);
    results.push(r);
    console.log(
      `${String(load * 100).padStart(3)}% ${policy.padEnd(13)} hit ${r.hitRatio.toFixed(3)}  ttft p50 ${r.ttftP50Ms.toFixed(0).padStart(6)} ms  p99 ${r.ttftP99Ms.toFixed(0).padStart(7)} ms  goodput ${r.goodput.toFixed(2).padStart(6)}/s  max/mean in flight ${r.imbalance.toFixed(2)}  (${r.completed} done)`,
    );
  }
  const of = (p: Contender) => results.find((r) => r.load === load && r.policy === p) as Result;
  console.log(
    `     cache-aware vs round-robin hit ratio ${(of('cache-aware').hitRatio / of('round-robin').hitRatio).toFixed(2)}x; ` +
      `goodput vs oracle ${((of('cache-aware').goodput / of('oracle').goodput) * 100).toFixed(1)}%`,
  );
}
const summary = {
  bench: 'gateway-routing',
  date: new Date().toISOString(),
  setup: {
    requests,
    fleet: FLEET,
    slots: SLOTS,
    cacheBlocks: CACHE_BLOCKS,
    profile: PROFILE,
    workload: WORKLOAD,
    ttftSloMs: TTFT_SLO_MS,
    oracleSlackMs: ORACLE_SLACK_MS,
    capacityPerSecond: capacity(),
    meanPromptTokens: MEANS.prompt,
    meanOutputTokens: MEANS.output,
    route: ROUTE,
  },
  results,
  wallSeconds: (performance.now() - started) / 1000,
};
writeFileSync(
  join(import.meta.dirname, 'results', 'gateway-routing.json'),
  `${JSON.stringify(summary, null, 2)}\n`,
);
console.log(
  `capacity ${capacity().toFixed(2)} req/s; ${summary.wallSeconds.toFixed(1)} s wall; written to bench/results/gateway-routing.json`,
);
