/**
 * The dashboard's frame time in Chromium with 50 live runs streaming, beside
 * the same dashboard idle, in one run. The runs are real: agents delegating
 * lead → mid → leaf against the simulator (each reply takes --latency ms),
 * kept at 50 at a time by starting a new run whenever one finishes. Frame
 * times are requestAnimationFrame deltas measured in the page, with the
 * Long Tasks API counting main-thread work over 50 ms.
 *
 *   npx tsx bench/dashboard-frames.ts [--runs 50] [--seconds 8] [--latency 250]
 */
import { existsSync, writeFileSync } from 'node:fs';
import { defaultWebDir } from '../src/server/index.js';
import { delegationAgents, delegationScenario } from '../test/server/scenarios.js';
import { openBrowser } from '../test/support/browser.js';
import { startServerHarness } from '../test/support/server-harness.js';
import { machine, numberArg, percentile } from './gateway-kit.js';

const RUNS = numberArg('--runs', 50);
const SECONDS = numberArg('--seconds', 8);
const LATENCY = numberArg('--latency', 250);

if (!existsSync(`${defaultWebDir()}/index.html`))
  throw new Error('web/dist is missing: run npm run build first');

const s = await startServerHarness({
  agents: delegationAgents,
  scenario: delegationScenario(LATENCY),
  config: { prices: { 'sim:sim-model': { input: 3, output: 15 } } },
  server: { webDir: defaultWebDir() },
  workers: 0,
});
const browser = await openBrowser();
const { page } = browser;

interface FrameStats {
  frames: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  over20Ms: number;
  longTasks: number;
  longTaskMs: number;
}

/** rAF deltas and long tasks over `seconds`, measured inside the page. */
async function measureFrames(seconds: number): Promise<FrameStats> {
  const raw = (await page.evaluate(`new Promise((done) => {
    const deltas = [];
    const long = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push(e.duration); });
    observer.observe({ type: 'longtask', buffered: false });
    let last = performance.now();
    const end = last + ${seconds * 1000};
    const tick = (t) => {
      deltas.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(tick);
      else { observer.disconnect(); done({ deltas, long }); }
    };
    requestAnimationFrame(tick);
  })`)) as { deltas: number[]; long: number[] };
  const deltas = raw.deltas.slice(1).sort((a, b) => a - b);
  const r = (x: number) => Number(x.toFixed(2));
  return {
    frames: deltas.length,
    meanMs: r(deltas.reduce((a, b) => a + b, 0) / deltas.length),
    p50Ms: r(percentile(deltas, 0.5)),
    p95Ms: r(percentile(deltas, 0.95)),
    p99Ms: r(percentile(deltas, 0.99)),
    maxMs: r(deltas[deltas.length - 1] ?? 0),
    over20Ms: deltas.filter((d) => d > 20).length,
    longTasks: raw.long.length,
    longTaskMs: r(raw.long.reduce((a, b) => a + b, 0)),
  };
}

await page.goto(`${s.url}/#/`);
await page.locator('.stream-live').waitFor();
await new Promise((r) => setTimeout(r, 1000));
const idle = await measureFrames(SECONDS);
console.log('idle dashboard', idle);

let stopping = false;
let started = 0;
const startOne = () => {
  started++;
  s.server.deps.runs.start({ agent: 'lead', task: `bench run ${started}` });
};
let events = 0;
s.h.runtime.events.subscribe((e) => {
  events++;
  if (e.type === 'run.finished' && !stopping) startOne();
});
for (let i = 0; i < RUNS; i++) startOne();
await page.waitForFunction(
  `Number(document.querySelector('[data-testid="running-count"]')?.textContent?.split(' ')[0]) >= ${Math.floor(RUNS * 0.9)}`,
  undefined,
  { timeout: 30_000 },
);
await new Promise((r) => setTimeout(r, 2000));
const eventsBefore = events;
const liveStart = Date.now();
const live = await measureFrames(SECONDS);
const eventsPerSecond = Math.round((events - eventsBefore) / ((Date.now() - liveStart) / 1000));
const shownRunning = await page.locator('[data-testid="running-count"]').textContent();
console.log(`${RUNS} live runs (${shownRunning} on screen, ${eventsPerSecond} events/s)`, live);
stopping = true;

const summary = {
  command: `npx tsx bench/dashboard-frames.ts --runs ${RUNS} --seconds ${SECONDS} --latency ${LATENCY}`,
  machine: machine(),
  chromium: browser.context.browser()?.version() ?? 'persistent context',
  idle,
  live: { runs: RUNS, shownRunning, eventsPerSecond, runsStarted: started, ...live },
  ratios: {
    meanFrameLiveVsIdle: Number((live.meanMs / idle.meanMs).toFixed(3)),
    p95FrameLiveVsIdle: Number((live.p95Ms / idle.p95Ms).toFixed(3)),
    p99FrameLiveVsIdle: Number((live.p99Ms / idle.p99Ms).toFixed(3)),
  },
};
console.log(JSON.stringify(summary, null, 2));
writeFileSync(
  new URL('./results/dashboard-frames.json', import.meta.url),
  `${JSON.stringify(summary, null, 2)}\n`,
);
await browser.close();
await s.server.deps.runs.close();
await s.close();
