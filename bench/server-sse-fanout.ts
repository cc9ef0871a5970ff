/**
 * Server-Sent Events fan-out of `swarm serve`: events emitted on the event
 * bus go through the run store (SQLite, group commit), the server's event
 * feed and its SSE streams to 100 clients in another process. Measured as
 * events delivered per second (events × clients ÷ time until the last client
 * has them all), beside two baselines from the same run: the same server
 * with one client, and a bare node:http SSE writer that sends the same
 * frames to 100 clients with no store, no feed and no framework.
 *
 *   npx tsx bench/server-sse-fanout.ts [--clients 100] [--events 5000] [--rounds 3]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../src/agents/index.js';
import { configSchema, type SwarmConfig } from '../src/core/config.js';
import type { AnyEvent } from '../src/core/events.js';
import { startServer } from '../src/server/index.js';
import { machine, numberArg } from './gateway-kit.js';

const CLIENTS = numberArg('--clients', 100);
const EVENTS = numberArg('--events', 5000);
const ROUNDS = numberArg('--rounds', 3);
/** Events emitted per turn of the event loop, as a busy swarm would. */
const CHUNK = 200;

const dir = mkdtempSync(join(tmpdir(), 'swarm-bench-sse-'));
const config: SwarmConfig = {
  ...configSchema.parse({}),
  store: join(dir, 'swarm.db'),
  agents: join(dir, 'agents'),
  workspace: dir,
  file: undefined,
  root: dir,
};
const runtime = createRuntime({ config });
const server = await startServer({ runtime, agentsDir: config.agents, port: 0, webDir: false, env: {} });

function event(i: number): AnyEvent {
  return {
    type: 'agent.step',
    runId: 'run_bench',
    nodeId: 'node_bench',
    agent: 'bench',
    depth: 0,
    ts: Date.now(),
    data: {
      step: i,
      finishReason: 'stop',
      toolCalls: 0,
      text: `step ${i} of the benchmark run: ${'x'.repeat(60)}`,
    },
  };
}

function startClients(
  url: string,
  clients: number,
): Promise<{ child: ChildProcess; done: Promise<number[]> }> {
  const child = fork(new URL('./server-sse-clients.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((ready, fail) => {
    let resolveDone: (counts: number[]) => void = () => {};
    const done = new Promise<number[]>((r) => {
      resolveDone = r;
    });
    child.on('message', (m: { type: string; counts?: number[] }) => {
      if (m.type === 'ready') ready({ child, done });
      if (m.type === 'done') resolveDone(m.counts ?? []);
    });
    child.on('error', fail);
    child.send({ url, clients, events: EVENTS });
  });
}

async function produce(emit: (events: AnyEvent[]) => void): Promise<void> {
  for (let i = 0; i < EVENTS; i += CHUNK) {
    emit(Array.from({ length: Math.min(CHUNK, EVENTS - i) }, (_, k) => event(i + k)));
    await new Promise((r) => setImmediate(r));
  }
}

async function measure(url: string, clients: number, emit: (events: AnyEvent[]) => void): Promise<number> {
  const { child, done } = await startClients(url, clients);
  // the server registers a client when its response starts; give the last ones a moment
  await new Promise((r) => setTimeout(r, 200));
  const t0 = performance.now();
  await produce(emit);
  const counts = await done;
  const seconds = (performance.now() - t0) / 1000;
  child.kill();
  if (counts.some((c) => c < EVENTS)) throw new Error(`a client missed events: ${counts.join(',')}`);
  return (EVENTS * clients) / seconds;
}

const swarmEmit = (events: AnyEvent[]) => {
  for (const e of events) runtime.events.emit(e);
};

const bareClients = new Set<ServerResponse>();
let bareSeq = 0;
const bare = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write('retry: 1000\n\n');
  bareClients.add(res);
  res.on('close', () => bareClients.delete(res));
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
const bareEmit = (events: AnyEvent[]) => {
  const text = events
    .map((e) => `id: ${++bareSeq}\ndata: ${JSON.stringify({ seq: bareSeq, ...e })}\n\n`)
    .join('');
  for (const res of bareClients) res.write(text);
};

const results: { round: number; target: string; clients: number; eventsPerSecond: number }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const [target, url, clients, emit] of [
    ['bare node:http writer', bareUrl, CLIENTS, bareEmit],
    ['swarm serve', `${server.url}/api/events/stream`, CLIENTS, swarmEmit],
    ['swarm serve', `${server.url}/api/events/stream`, 1, swarmEmit],
  ] as const) {
    const eventsPerSecond = await measure(url, clients, emit);
    results.push({ round, target, clients, eventsPerSecond });
    console.log(
      `round ${round}: ${target}, ${clients} clients: ${Math.round(eventsPerSecond).toLocaleString()} events/s delivered`,
    );
  }
}

const median = (target: string, clients: number) => {
  const xs = results
    .filter((r) => r.target === target && r.clients === clients)
    .map((r) => r.eventsPerSecond)
    .sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
};
const swarm100 = median('swarm serve', CLIENTS);
const swarm1 = median('swarm serve', 1);
const bare100 = median('bare node:http writer', CLIENTS);
const summary = {
  command: `npx tsx bench/server-sse-fanout.ts --clients ${CLIENTS} --events ${EVENTS} --rounds ${ROUNDS}`,
  machine: machine(),
  clients: CLIENTS,
  events: EVENTS,
  medians: {
    swarmEventsPerSecond: Math.round(swarm100),
    swarmOneClientEventsPerSecond: Math.round(swarm1),
    bareEventsPerSecond: Math.round(bare100),
  },
  ratios: {
    swarmVsBare: Number((swarm100 / bare100).toFixed(3)),
    swarm100VsSwarm1: Number((swarm100 / swarm1).toFixed(2)),
  },
  rounds: results.map((r) => ({ ...r, eventsPerSecond: Math.round(r.eventsPerSecond) })),
};
console.log(JSON.stringify(summary, null, 2));
writeFileSync(
  new URL('./results/server-sse-fanout.json', import.meta.url),
  `${JSON.stringify(summary, null, 2)}\n`,
);
for (const res of bareClients) res.end();
bare.close();
await server.close();
runtime.close();
rmSync(dir, { recursive: true, force: true });
