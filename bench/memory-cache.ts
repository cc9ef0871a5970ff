/**
 * The response cache: lookup latency with 100,000 entries (exact hits, near
 * hits, misses) beside a bare Map keyed by a hash of the call (the least any
 * exact cache costs); false and true hits on the labelled prompt pairs in
 * memory-cache-pairs.json at the default settings and with the token guard
 * off at several thresholds; and 50 identical concurrent calls through the
 * real model client to `swarm sim`, counted at the simulator, beside the
 * same 50 calls without the cache.
 *
 *   npx tsx bench/memory-cache.ts [--entries 100000] [--lookups 10000] [--out bench/results/memory-cache.json]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { configSchema } from '../src/core/config.js';
import { CascadeContext } from '../src/core/context.js';
import { EventBus } from '../src/core/events.js';
import { type CacheableCall, ResponseCache, type ResponseCacheOptions } from '../src/memory/index.js';
import {
  createProviderFactory,
  localProviders,
  type ModelCallRequest,
  type ModelCallResult,
  ModelClient,
  PriceTable,
  parseTarget,
} from '../src/models/index.js';
import { startSim } from '../src/sim/index.js';
import { BENCH_DIR, loadAverage, machine } from './lib/measure.js';
import { percentile, prng } from './memory-exact.js';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '100000' },
    lookups: { type: 'string', default: '10000' },
    out: { type: 'string', default: join(BENCH_DIR, 'results', 'memory-cache.json') },
  },
});
const ENTRIES = Number(values.entries);
const LOOKUPS = Number(values.lookups);
const signal = new AbortController().signal;

const VERBS = ['Explain', 'Refactor', 'Summarise', 'Review', 'Document', 'Test', 'Rename', 'Optimise'];
const THINGS = [
  'the parser',
  'the retry loop',
  'the budget ledger',
  'the gateway router',
  'the merge policy',
];

/** Conversation `n`: a system prompt, two earlier turns and a question naming n, a few hundred characters. */
function conversation(n: number, variant = false): LanguageModelV3Prompt {
  const verb = VERBS[n % VERBS.length]!;
  const thing = THINGS[Math.floor(n / VERBS.length) % THINGS.length]!;
  const question = variant
    ? `please ${verb.toLowerCase()} ${thing} in module ${n}, step ${n % 97}`
    : `${verb} ${thing} in module ${n}, step ${n % 97}.`;
  return [
    { role: 'system', content: 'You are a careful senior engineer. Answer briefly and cite file paths.' },
    {
      role: 'user',
      content: [{ type: 'text', text: `We are working on service ${n % 1000} of the platform.` }],
    },
    {
      role: 'assistant',
      content: [{ type: 'text', text: `Understood: service ${n % 1000}. What should I do?` }],
    },
    { role: 'user', content: [{ type: 'text', text: question }] },
  ];
}

const call = (prompt: LanguageModelV3Prompt): CacheableCall => ({
  models: ['sim:sim-model'],
  prompt,
  maxOutputTokens: 512,
  temperature: 0,
  tenant: 'default',
});

const answer = (text: string): ModelCallResult => ({
  model: 'sim:sim-model',
  text,
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 0 },
  costUsd: 0,
});

interface Times {
  wall: number[];
  /** CPU time of the process over the same lookup: what the machine's load (time sliced away) does not inflate. */
  cpu: number[];
}

const newTimes = (): Times => ({ wall: [], cpu: [] });

function timed(times: Times, fn: () => unknown) {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  times.wall.push(performance.now() - t);
  const used = process.cpuUsage(c);
  times.cpu.push((used.user + used.system) / 1000);
}

const stats = (times: Times) => {
  const wall = [...times.wall].sort((a, b) => a - b);
  const cpu = [...times.cpu].sort((a, b) => a - b);
  return {
    p50Ms: percentile(wall, 0.5),
    p99Ms: percentile(wall, 0.99),
    cpuP50Ms: percentile(cpu, 0.5),
    cpuP99Ms: percentile(cpu, 0.99),
    count: wall.length,
  };
};

async function lookups() {
  const cache = new ResponseCache({ maxEntries: ENTRIES * 2 });
  const bare = new Map<string, ModelCallResult>();
  const bareKey = (c: CacheableCall) => createHash('sha256').update(JSON.stringify(c)).digest('hex');
  const fillStarted = performance.now();
  for (let n = 0; n < ENTRIES; n++) {
    const c = call(conversation(n));
    await cache.run(c, { signal }, async () => answer(`answer ${n}`));
    bare.set(bareKey(c), answer(`answer ${n}`));
  }
  const fillMs = performance.now() - fillStarted;
  const next = prng(7);
  const pick = () => Math.floor(next() * ENTRIES);
  const times = { exact: newTimes(), near: newTimes(), miss: newTimes(), bare: newTimes() };
  let wrong = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const n = pick();
    timed(times.exact, () => {
      if (cache.lookup(call(conversation(n)))?.result.text !== `answer ${n}`) wrong++;
    });
    timed(times.near, () => {
      if (cache.lookup(call(conversation(n, true)))?.result.text !== `answer ${n}`) wrong++;
    });
    timed(times.miss, () => {
      if (cache.lookup(call(conversation(ENTRIES + n)))) wrong++;
    });
    timed(times.bare, () => bare.get(bareKey(call(conversation(n)))));
  }
  return {
    entries: cache.stats().entries,
    fillMs,
    wrongAnswers: wrong,
    exactHit: stats(times.exact),
    nearHit: stats(times.near),
    miss: stats(times.miss),
    baselineMapLookup: stats(times.bare),
  };
}

interface Pair {
  label: 'same' | 'different';
  a: { role: string; content: string }[];
  b: { role: string; content: string }[];
}

async function labelled(options: ResponseCacheOptions) {
  const file = join(BENCH_DIR, 'memory-cache-pairs.json');
  const pairs = (JSON.parse(readFileSync(file, 'utf8')) as { pairs: Pair[] }).pairs;
  const prompt = (messages: Pair['a']): LanguageModelV3Prompt =>
    messages.map((m) =>
      m.role === 'system'
        ? { role: 'system' as const, content: m.content }
        : { role: m.role as 'user', content: [{ type: 'text' as const, text: m.content }] },
    );
  let falseHits = 0;
  let trueHits = 0;
  for (const pair of pairs) {
    // a cache per pair: some pairs share a prompt
    const cache = new ResponseCache(options);
    await cache.run(call(prompt(pair.a)), { signal }, async () => answer('a'));
    const hit = cache.lookup(call(prompt(pair.b)));
    if (hit && pair.label === 'different') falseHits++;
    if (hit && pair.label === 'same') trueHits++;
  }
  const different = pairs.filter((p) => p.label === 'different').length;
  const same = pairs.length - different;
  return {
    falseHitRate: falseHits / different,
    falseHits,
    nearMissPairs: different,
    trueHitRate: trueHits / same,
    samePairs: same,
  };
}

async function concurrent() {
  const sim = await startSim({
    scenario: { defaults: { latencyMs: 100 }, rules: [{ reply: { content: 'ok' } }] },
  });
  try {
    const config = {
      ...configSchema.parse({ providers: { sim: { type: 'openai-compatible', baseURL: sim.baseURL } } }),
      file: undefined,
      root: process.cwd(),
    };
    const clientWith = (cache?: ResponseCache) =>
      new ModelClient(
        createProviderFactory(),
        PriceTable.load({}, localProviders(config)),
        config.retry,
        cache,
      );
    const request: ModelCallRequest = {
      models: [parseTarget(config, 'sim:sim-model')],
      prompt: conversation(1),
      maxOutputTokens: 64,
      temperature: 0,
    };
    const ctx = () => CascadeContext.createRun({ agent: 'bench', task: 'cache', events: new EventBus() });
    const chats = () => sim.requests().filter((r) => r.path === '/v1/chat/completions').length;
    sim.reset();
    const plain = clientWith();
    await Promise.all(Array.from({ length: 50 }, () => plain.call(ctx(), request)));
    const withoutCache = chats();
    sim.reset();
    // the cache plugged into the model client, as `swarm run` wires it
    const cached = clientWith(new ResponseCache());
    const results = await Promise.all(Array.from({ length: 50 }, () => cached.call(ctx(), request)));
    const outcomes = results.map((r) => ({ source: r.cache ?? 'upstream' }));
    return {
      calls: 50,
      upstreamWithCache: chats(),
      upstreamWithoutCache: withoutCache,
      coalesced: outcomes.filter((o) => o.source === 'coalesced').length,
    };
  } finally {
    await sim.close();
  }
}

const started = Date.now();
const load = loadAverage();
const guard = await labelled({});
const noGuard: Record<string, Awaited<ReturnType<typeof labelled>>> = {};
for (const minSimilarity of [0.9, 0.95, 0.97, 0.99])
  noGuard[`cosine ${minSimilarity}`] = await labelled({ strict: false, minSimilarity });
const result = {
  benchmark: 'memory-cache',
  date: new Date().toISOString(),
  command: `npx tsx bench/memory-cache.ts ${process.argv.slice(2).join(' ')}`.trim(),
  machine: machine(),
  loadAverage: { before: load, after: loadAverage() },
  lookups: await lookups(),
  labelledPairs: { default: guard, withoutTokenGuard: noGuard },
  concurrent: await concurrent(),
  durationS: Math.round((Date.now() - started) / 1000),
};
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 1));
