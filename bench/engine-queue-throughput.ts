/**
 * Tasks per second enqueued, claimed and acked through Swarm's engine
 * backends, beside the raw client doing the same work, in the same process
 * and run, in alternating rounds (Swarm, raw, raw, Swarm, ...):
 *
 * - SQLite: `SqliteBackend` (queue defaults: 30 s lease, 120 s dedup window)
 *   against a hand-written better-sqlite3 queue on its own WAL file with the
 *   same pragmas: INSERT ... ON CONFLICT (id) DO NOTHING; claim with one
 *   UPDATE ... RETURNING that moves `available_at` to the lease's end;
 *   DELETE on ack.
 * - NATS: `NatsBackend` against raw `@nats-io/jetstream` on a work-queue
 *   stream with the same configuration (file storage, dedup window, durable
 *   pull consumer with explicit acks): `js.publish(subject, data, { msgID })`,
 *   `consumer.consume()`, then `ackAck()` (confirmed, as Swarm's acks are:
 *   the baseline); `consumer.next()` + `ackAck()` (one pull per message, the
 *   protocol shape of Swarm's claim); and, for reference, `consume()` with
 *   plain `ack()`. The raw messages are the bytes Swarm publishes for the same
 *   task, so the sizes match.
 *
 * A round enqueues N tasks with C producer loops, then drains them with C
 * claim loops (claim, await a no-op handler, ack). Each is timed on its own
 * and together (end to end: N / (enqueue + drain time)), with the client's
 * CPU time per task. SQLite's calls are synchronous, so its C loops interleave
 * on one thread rather than run in parallel.
 *
 *   npx tsx bench/engine-queue-throughput.ts [--only sqlite|nats] [--concurrency 1,4]
 *     [--sqlite-tasks 3000] [--nats-tasks 600] [--rounds 7] [--nats nats://127.0.0.1:4222]
 *     [--raw-ack] [--out bench/results/engine-queue-throughput.json]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import Database from 'better-sqlite3';
import type { Json, TaskQueue } from '../src/engine/backend.js';
import { NatsBackend } from '../src/engine/nats/nats-backend.js';
import { SqliteBackend } from '../src/engine/sqlite/sqlite-backend.js';
import { BENCH_DIR, loadAverage, machine, packageVersion, positiveInt } from './lib/measure.js';

const HELP = `npx tsx bench/engine-queue-throughput.ts [options]
  --only sqlite|nats     one backend only
  --concurrency <list>   producer and claim loops per round, comma-separated (default 1,4)
  --sqlite-tasks <n>     tasks per SQLite round (default 3000)
  --nats-tasks <n>       tasks per NATS round (default 600)
  --rounds <n>           measured rounds per implementation and concurrency (default 7), after one warm-up round
  --nats <url>           NATS server (default nats://127.0.0.1:4222)
  --raw-ack              also measure raw NATS with unconfirmed ack() (default: on)
  --no-raw-ack           skip it
  --out <file>           where the JSON goes (default bench/results/engine-queue-throughput.json)`;

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    concurrency: { type: 'string' },
    'sqlite-tasks': { type: 'string' },
    'nats-tasks': { type: 'string' },
    rounds: { type: 'string' },
    nats: { type: 'string' },
    'raw-ack': { type: 'boolean', default: true },
    'no-raw-ack': { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const ONLY = values.only;
if (ONLY !== undefined && ONLY !== 'sqlite' && ONLY !== 'nats')
  throw new Error('--only must be sqlite or nats');
const CONCURRENCY = (values.concurrency ?? '1,4')
  .split(',')
  .map((c) => positiveInt(c.trim(), 1, 'concurrency'));
const SQLITE_TASKS = positiveInt(values['sqlite-tasks'], 3000, 'sqlite-tasks');
const NATS_TASKS = positiveInt(values['nats-tasks'], 600, 'nats-tasks');
const ROUNDS = positiveInt(values.rounds, 7, 'rounds');
const NATS_URL = values.nats ?? 'nats://127.0.0.1:4222';
const RAW_ACK = values['raw-ack'] && !values['no-raw-ack'];
const out = resolve(values.out ?? join(BENCH_DIR, 'results', 'engine-queue-throughput.json'));

/** The payload of every task: the shape of a workflow step task. */
const payloadOf = (i: number): Json => ({ runId: 'run_01JBENCHQUEUE0000000000000', stepId: `step-${i}` });
const LEASE_MS = 30_000;
const DEDUP_MS = 120_000;

/** A queue as the benchmark drives it: enqueue one, claim one (undefined when empty), ack it. */
interface BenchQueue {
  enqueue(id: string, payload: Json): Promise<void> | void;
  /** Drains `n` tasks with `loops` claim loops. */
  drain(n: number, loops: number): Promise<number>;
}

const handler = async (_payload: unknown): Promise<void> => {};

/** C loops, each enqueuing its share of ids[from..to). */
async function produce(q: BenchQueue, prefix: string, n: number, loops: number): Promise<void> {
  let next = 0;
  const loop = async () => {
    for (let i = next++; i < n; i = next++) await q.enqueue(`${prefix}-${i}`, payloadOf(i));
  };
  await Promise.all(Array.from({ length: loops }, loop));
}

function swarmQueue(queue: TaskQueue): BenchQueue {
  return {
    async enqueue(id, payload) {
      await queue.enqueue({ id, payload });
    },
    async drain(n, loops) {
      let done = 0;
      const loop = async () => {
        for (;;) {
          const task = await queue.claim();
          if (!task) return;
          await handler(task.payload);
          await task.ack();
          done++;
        }
      };
      await Promise.all(Array.from({ length: loops }, loop));
      if (done !== n) throw new Error(`swarm ${queue.name}: drained ${done} of ${n}`);
      return done;
    },
  };
}

/** The minimal leased queue one would write by hand on better-sqlite3: same pragmas as Swarm's openSqlite. */
function rawSqliteQueue(file: string): BenchQueue & { close(): void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 8000');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS tasks (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      payload TEXT NOT NULL,
      available_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS tasks_claim ON tasks (available_at);
  `);
  const insert = db.prepare(
    'INSERT INTO tasks (id, payload, available_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const claim = db.prepare(
    `UPDATE tasks SET available_at = ?
     WHERE seq = (SELECT seq FROM tasks WHERE available_at <= ? ORDER BY available_at, seq LIMIT 1)
     RETURNING seq, payload`,
  );
  const remove = db.prepare('DELETE FROM tasks WHERE seq = ?');
  return {
    enqueue(id, payload) {
      insert.run(id, JSON.stringify(payload), Date.now());
    },
    async drain(n, loops) {
      let done = 0;
      const loop = async () => {
        for (;;) {
          const now = Date.now();
          const row = claim.get(now + LEASE_MS, now) as { seq: number; payload: string } | undefined;
          if (!row) return;
          await handler(JSON.parse(row.payload));
          remove.run(row.seq);
          done++;
        }
      };
      await Promise.all(Array.from({ length: loops }, loop));
      if (done !== n) throw new Error(`raw sqlite: drained ${done} of ${n}`);
      return done;
    },
    close: () => db.close(),
  };
}

/** Raw JetStream: a work-queue stream configured as Swarm configures its queue streams. */
async function rawNatsQueue(
  nc: NatsConnection,
  jsm: JetStreamManager,
  name: string,
  mode: 'consume' | 'consume-unconfirmed' | 'next',
): Promise<BenchQueue & { destroy(): Promise<void> }> {
  const confirm = mode !== 'consume-unconfirmed';
  const js: JetStreamClient = jsm.jetstream();
  const subject = `bench.raw.${name}`;
  await jsm.streams.add({
    name,
    subjects: [subject],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    duplicate_window: nanos(DEDUP_MS),
  });
  await jsm.consumers.add(name, {
    durable_name: 'workers',
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(LEASE_MS),
    max_deliver: -1,
    max_ack_pending: -1,
  });
  void nc;
  return {
    async enqueue(id, payload) {
      // the bytes Swarm's NatsQueue publishes for the same task
      const body = JSON.stringify({ id, payload, headers: {}, enqueuedAt: Date.now() });
      await js.publish(subject, body, { msgID: id });
    },
    async drain(n, loops) {
      let done = 0;
      let pulling = 0;
      const consumer = await js.consumers.get(name, 'workers');
      const all: ConsumerMessages[] = [];
      const nextLoop = async () => {
        // one pull per message, as a claim that starts a lease must (what Swarm's claim does)
        // a loop pulls only while a task is left that no other loop is pulling, so none waits out an empty pull
        while (pulling < n) {
          pulling++;
          const m = await consumer.next({ expires: 1000 });
          if (!m) {
            pulling--;
            continue;
          }
          await handler(m.json());
          await m.ackAck();
          done++;
        }
      };
      const loop = async () => {
        const messages = await consumer.consume();
        all.push(messages);
        for await (const m of messages) {
          await handler(m.json());
          if (confirm) await m.ackAck();
          else m.ack();
          if (++done >= n) for (const each of all) each.stop();
        }
      };
      await Promise.all(Array.from({ length: loops }, mode === 'next' ? nextLoop : loop));
      if (!confirm) await nc.flush();
      if (done !== n) throw new Error(`raw nats: drained ${done} of ${n}`);
      return done;
    },
    async destroy() {
      await jsm.streams.delete(name);
    },
  };
}

interface Round {
  enqueueMs: number;
  drainMs: number;
  /** This process's CPU time (user + system) over the round, in µs: less sensitive to a loaded machine than wall time. */
  cpuUs: number;
}

interface Row {
  backend: 'sqlite' | 'nats';
  impl: string;
  concurrency: number;
  tasks: number;
  rounds: number;
  /** Medians over the rounds. */
  enqueuePerSec: number;
  drainPerSec: number;
  endToEndPerSec: number;
  /** Client CPU µs per task (enqueue + claim + ack); for NATS the server's CPU is not in it. */
  cpuUsPerTask: number;
  loadAverage: number | undefined;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function round(q: BenchQueue, prefix: string, n: number, loops: number): Promise<Round> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await produce(q, prefix, n, loops);
  const t1 = performance.now();
  await q.drain(n, loops);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  return { enqueueMs: t1 - t0, drainMs: t2 - t1, cpuUs: cpu.user + cpu.system };
}

/** Warm-up round each, then ROUNDS rounds alternating the order (A B, B A, ...). */
async function compare(
  backend: 'sqlite' | 'nats',
  impls: { name: string; q: BenchQueue }[],
  n: number,
  loops: number,
): Promise<Row[]> {
  const times = new Map<string, Round[]>(impls.map((i) => [i.name, []]));
  let tag = 0;
  for (const impl of impls) await round(impl.q, `w${loops}-${tag++}`, Math.min(n, 500), loops);
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? impls : [...impls].reverse();
    for (const impl of order) times.get(impl.name)!.push(await round(impl.q, `r${loops}-${tag++}`, n, loops));
  }
  const load = loadAverage();
  return impls.map(({ name }) => {
    const rs = times.get(name)!;
    return {
      backend,
      impl: name,
      concurrency: loops,
      tasks: n,
      rounds: rs.length,
      enqueuePerSec: median(rs.map((x) => n / (x.enqueueMs / 1000))),
      drainPerSec: median(rs.map((x) => n / (x.drainMs / 1000))),
      endToEndPerSec: median(rs.map((x) => n / ((x.enqueueMs + x.drainMs) / 1000))),
      cpuUsPerTask: median(rs.map((x) => x.cpuUs / n)),
      loadAverage: load,
    };
  });
}

async function benchSqlite(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-queue-bench-'));
  const backend = new SqliteBackend(join(dir, 'swarm.db'));
  const raw = rawSqliteQueue(join(dir, 'raw.db'));
  const rows: Row[] = [];
  try {
    const queue = await backend.queue('bench', { leaseMs: LEASE_MS, dedupWindowMs: DEDUP_MS });
    for (const loops of CONCURRENCY) {
      rows.push(
        ...(await compare(
          'sqlite',
          [
            { name: 'Swarm SqliteBackend', q: swarmQueue(queue) },
            { name: 'raw better-sqlite3', q: raw },
          ],
          SQLITE_TASKS,
          loops,
        )),
      );
    }
  } finally {
    raw.close();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function benchNats(): Promise<Row[]> {
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const backend = await NatsBackend.connect(NATS_URL, { name: 'swarm-bench' });
  const nc = await connect({ servers: NATS_URL, name: 'swarm-bench-raw' });
  const jsm = await jetstreamManager(nc);
  const rows: Row[] = [];
  const cleanup: (() => Promise<void>)[] = [];
  try {
    for (const loops of CONCURRENCY) {
      // a fresh stream per concurrency, so each starts from the same empty state
      const queue = await backend.queue(`benchq_${tag}_c${loops}`, {
        leaseMs: LEASE_MS,
        dedupWindowMs: DEDUP_MS,
      });
      cleanup.push(() => queue.destroy());
      const confirmed = await rawNatsQueue(nc, jsm, `bench_raw_${tag}_c${loops}`, 'consume');
      cleanup.push(() => confirmed.destroy());
      const single = await rawNatsQueue(nc, jsm, `bench_rawnext_${tag}_c${loops}`, 'next');
      cleanup.push(() => single.destroy());
      const impls = [
        { name: 'Swarm NatsBackend', q: swarmQueue(queue) },
        { name: 'raw JetStream, consume + ackAck', q: confirmed as BenchQueue },
        { name: 'raw JetStream, next + ackAck', q: single as BenchQueue },
      ];
      if (RAW_ACK) {
        const plain = await rawNatsQueue(nc, jsm, `bench_rawack_${tag}_c${loops}`, 'consume-unconfirmed');
        cleanup.push(() => plain.destroy());
        impls.push({ name: 'raw JetStream, consume + ack (unconfirmed)', q: plain });
      }
      rows.push(...(await compare('nats', impls, NATS_TASKS, loops)));
    }
  } finally {
    for (const fn of cleanup) await fn().catch((e: unknown) => console.error('cleanup:', e));
    await nc.close();
    await backend.close();
  }
  return rows;
}

const loadBefore = loadAverage();
const rows: Row[] = [];
if (ONLY !== 'nats') rows.push(...(await benchSqlite()));
if (ONLY !== 'sqlite') rows.push(...(await benchNats()));

const baselineOf = (row: Row) =>
  rows.find(
    (r) =>
      r.backend === row.backend &&
      r.concurrency === row.concurrency &&
      (r.impl === 'raw better-sqlite3' || r.impl === 'raw JetStream, consume + ackAck'),
  );

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (a: number, b: number | undefined) => (b ? `${((100 * a) / b).toFixed(0)}%` : '');
console.log(
  '| backend | implementation | loops | tasks / round | enqueue / s | claim + ack / s | end to end / s | end to end vs raw | client CPU µs / task |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const base = baselineOf(r);
  const vs = base === r ? 'baseline' : ratio(r.endToEndPerSec, base?.endToEndPerSec);
  console.log(
    `| ${r.backend} | ${r.impl} | ${r.concurrency} | ${fmt(r.tasks)} | ${fmt(r.enqueuePerSec)} | ${fmt(r.drainPerSec)} | ${fmt(r.endToEndPerSec)} | ${vs} | ${r.cpuUsPerTask.toFixed(0)} |`,
  );
}
const loadAfter = loadAverage();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      benchmark: 'engine-queue-throughput',
      date: new Date().toISOString(),
      machine: machine(),
      versions: {
        'better-sqlite3': packageVersion('better-sqlite3'),
        '@nats-io/jetstream': packageVersion('@nats-io/jetstream'),
      },
      loadAverage: { before: loadBefore, after: loadAfter },
      options: { concurrency: CONCURRENCY, sqliteTasks: SQLITE_TASKS, natsTasks: NATS_TASKS, rounds: ROUNDS },
      rows: rows.map((r) => ({
        ...r,
        endToEndVsRaw: baselineOf(r) ? r.endToEndPerSec / baselineOf(r)!.endToEndPerSec : null,
        drainVsRaw: baselineOf(r) ? r.drainPerSec / baselineOf(r)!.drainPerSec : null,
        enqueueVsRaw: baselineOf(r) ? r.enqueuePerSec / baselineOf(r)!.enqueuePerSec : null,
      })),
    },
    null,
    2,
  )}\n`,
);
console.log(`\nload average ${loadBefore} before, ${loadAfter} after; JSON: ${out}`);
