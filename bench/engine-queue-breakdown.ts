/**
 * Where the SQLite queue's time goes, next to the raw better-sqlite3 loop of
 * engine-queue-throughput.ts. One claim loop; variants that each differ from
 * the next by one thing, in alternating rounds, in one process:
 *
 * 1. `SqliteBackend` queue, defaults (120 s dedup window: an acked task is
 *    kept, marked done, until the window passes);
 * 2. the same with `dedupWindowMs: 0` (ack deletes the row);
 * 3. Swarm's own SQL statements, called directly (no promises, closures or
 *    ClaimedTask objects) on Swarm's table, acking as 1 does;
 * 4. as 3 on a copy of the table without `AUTOINCREMENT`;
 * 5. as 4, acking with DELETE;
 * 6. the minimal raw queue (4 columns, one index on `available_at`).
 *
 * For each: tasks per second through enqueue + claim + ack, CPU time per
 * task, and bytes handed to write() per task (WAL frames and checkpoints,
 * from /proc/self/io).
 *
 *   npx tsx bench/engine-queue-breakdown.ts [--tasks 5000] [--rounds 4] [--out bench/results/engine-queue-breakdown.json]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { TaskQueue } from '../src/engine/backend.js';
import { SqliteBackend } from '../src/engine/sqlite/sqlite-backend.js';
import { BENCH_DIR, loadAverage, machine, positiveInt } from './lib/measure.js';

const { values } = parseArgs({
  options: { tasks: { type: 'string' }, rounds: { type: 'string' }, out: { type: 'string' } },
});
const N = positiveInt(values.tasks, 5000, 'tasks');
const ROUNDS = positiveInt(values.rounds, 4, 'rounds');
const out = resolve(values.out ?? join(BENCH_DIR, 'results', 'engine-queue-breakdown.json'));
const LEASE_MS = 30_000;
const DEDUP_MS = 120_000;
const payloadOf = (i: number) => ({ runId: 'run_01JBENCHQUEUE0000000000000', stepId: `step-${i}` });

/** Bytes this process has handed to write() so far. */
function written(): number {
  const line = readFileSync('/proc/self/io', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('wchar:'));
  return line ? Number(line.slice(6)) : Number.NaN;
}

/** One round: enqueue `N` tasks, then claim and ack them all. */
type Variant = { name: string; round: (prefix: string) => Promise<number> };

function swarmVariant(name: string, queue: TaskQueue): Variant {
  return {
    name,
    async round(prefix) {
      for (let i = 0; i < N; i++) await queue.enqueue({ id: `${prefix}-${i}`, payload: payloadOf(i) });
      let n = 0;
      for (;;) {
        const task = await queue.claim();
        if (!task) break;
        await task.ack();
        n++;
      }
      return n;
    },
  };
}

/** Swarm's statements (src/engine/sqlite/sqlite-queue.ts) called directly on `table`. */
function swarmSqlVariant(
  name: string,
  db: Database.Database,
  table: string,
  ackBy: 'update' | 'delete',
): Variant {
  const insert = db.prepare(
    `INSERT INTO ${table} (queue, id, payload, headers, available_at, enqueued_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (queue, id) DO NOTHING`,
  );
  const claim = db.prepare(
    `UPDATE ${table} SET deliveries = deliveries + 1, available_at = ?, lease_token = ?
     WHERE seq = (SELECT seq FROM ${table} WHERE queue = ? AND done = 0 AND available_at <= ?
                  ORDER BY available_at, seq LIMIT 1)
     RETURNING seq, id, payload, headers, deliveries, errors, enqueued_at`,
  );
  const ack = db.prepare(
    `UPDATE ${table} SET done = 1, lease_token = NULL, available_at = ?, payload = '', errors = '[]'
     WHERE seq = ? AND lease_token = ?`,
  );
  const remove = db.prepare(`DELETE FROM ${table} WHERE seq = ? AND lease_token = ?`);
  const queue = `q_${table}_${ackBy}`;
  return {
    name,
    async round(prefix) {
      for (let i = 0; i < N; i++) {
        const now = Date.now();
        insert.run(queue, `${prefix}-${i}`, JSON.stringify(payloadOf(i)), '{}', now, now);
      }
      let n = 0;
      for (;;) {
        const now = Date.now();
        const token = randomUUID();
        const row = claim.get(now + LEASE_MS, token, queue, now) as
          | { seq: number; payload: string; headers: string }
          | undefined;
        if (!row) break;
        JSON.parse(row.payload);
        JSON.parse(row.headers);
        if (ackBy === 'update') ack.run(Date.now() + DEDUP_MS, row.seq, token);
        else remove.run(row.seq, token);
        n++;
      }
      return n;
    },
  };
}

function rawVariant(name: string, db: Database.Database): Variant {
  db.exec(`
    CREATE TABLE tasks (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, payload TEXT NOT NULL, available_at INTEGER NOT NULL);
    CREATE INDEX tasks_claim ON tasks (available_at);
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
    name,
    async round(prefix) {
      for (let i = 0; i < N; i++) insert.run(`${prefix}-${i}`, JSON.stringify(payloadOf(i)), Date.now());
      let n = 0;
      for (;;) {
        const now = Date.now();
        const row = claim.get(now + LEASE_MS, now) as { seq: number; payload: string } | undefined;
        if (!row) break;
        JSON.parse(row.payload);
        remove.run(row.seq);
        n++;
      }
      return n;
    },
  };
}

/** A database file with Swarm's pragmas (src/observe/sqlite-file.ts). */
function open(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 8000');
  db.pragma('busy_timeout = 5000');
  return db;
}

const dir = mkdtempSync(join(tmpdir(), 'swarm-queue-breakdown-'));
const closers: (() => unknown)[] = [];
try {
  const swarm = new SqliteBackend(join(dir, 'swarm.db'));
  const swarmNoDedup = new SqliteBackend(join(dir, 'swarm-nodedup.db'));
  closers.push(
    () => swarm.close(),
    () => swarmNoDedup.close(),
  );
  // Swarm's schema, built by its own migrations, in files the direct-SQL variants own
  for (const f of ['sql.db', 'sql-noauto.db', 'sql-noauto-delete.db'])
    await new SqliteBackend(join(dir, f)).close();
  const sqlDb = open(join(dir, 'sql.db'));
  const noAutoDbs = ['sql-noauto.db', 'sql-noauto-delete.db'].map((f) => {
    const db = open(join(dir, f));
    // the same table without AUTOINCREMENT: seq is a plain rowid alias, no sqlite_sequence row to update
    const ddl = (
      db.prepare("SELECT sql FROM sqlite_master WHERE name = 'engine_tasks'").pluck().get() as string
    )
      .replace('engine_tasks', 'tasks_noauto')
      .replace('AUTOINCREMENT', '');
    db.exec(`${ddl}; CREATE INDEX tasks_noauto_claim ON tasks_noauto (queue, done, available_at);`);
    return db;
  });
  const rawDb = open(join(dir, 'raw.db'));
  closers.push(
    () => sqlDb.close(),
    () => rawDb.close(),
    ...noAutoDbs.map((db) => () => db.close()),
  );
  const variants: Variant[] = [
    swarmVariant('1. SqliteBackend queue (defaults: 120 s dedup window)', await swarm.queue('bench')),
    swarmVariant(
      '2. SqliteBackend queue, dedupWindowMs 0 (ack deletes)',
      await swarmNoDedup.queue('bench', { dedupWindowMs: 0 }),
    ),
    swarmSqlVariant("3. Swarm's SQL called directly, Swarm's table", sqlDb, 'engine_tasks', 'update'),
    swarmSqlVariant('4. as 3, table without AUTOINCREMENT', noAutoDbs[0]!, 'tasks_noauto', 'update'),
    swarmSqlVariant('5. as 4, ack with DELETE', noAutoDbs[1]!, 'tasks_noauto', 'delete'),
    rawVariant('6. raw minimal queue (engine-queue-throughput baseline)', rawDb),
  ];
  const acc = variants.map(() => ({ ms: [] as number[], cpuUs: 0, bytes: 0, tasks: 0 }));
  const loadBefore = loadAverage();
  let tag = 0;
  for (const v of variants) await v.round(`warm-${tag++}`);
  for (let r = 0; r < ROUNDS; r++) {
    const order = variants.map((v, i) => [v, i] as const);
    if (r % 2) order.reverse();
    for (const [v, i] of order) {
      const b0 = written();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const n = await v.round(`r${r}-${tag++}`);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      if (n !== N) throw new Error(`${v.name}: ${n} of ${N} tasks`);
      const a = acc[i]!;
      a.ms.push(ms);
      a.cpuUs += cpu.user + cpu.system;
      a.bytes += written() - b0;
      a.tasks += n;
    }
  }
  const loadAfter = loadAverage();
  const rows = variants.map((v, i) => {
    const a = acc[i]!;
    const sorted = [...a.ms].sort((x, y) => x - y);
    const medianMs = sorted[sorted.length >> 1]!;
    return {
      variant: v.name,
      tasksPerSec: N / (medianMs / 1000),
      cpuUsPerTask: a.cpuUs / a.tasks,
      writtenBytesPerTask: a.bytes / a.tasks,
    };
  });
  const raw = rows[rows.length - 1]!;
  console.log(
    '| variant | tasks / s (enqueue + claim + ack) | vs raw | CPU µs / task | bytes written / task |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.variant} | ${Math.round(r.tasksPerSec).toLocaleString('en-US')} | ${((100 * r.tasksPerSec) / raw.tasksPerSec).toFixed(0)}% | ${r.cpuUsPerTask.toFixed(0)} | ${Math.round(r.writtenBytesPerTask).toLocaleString('en-US')} |`,
    );
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ benchmark: 'engine-queue-breakdown', date: new Date().toISOString(), machine: machine(), loadAverage: { before: loadBefore, after: loadAfter }, tasks: N, rounds: ROUNDS, rows }, null, 2)}\n`,
  );
  console.log(`\nload average ${loadBefore} before, ${loadAfter} after; JSON: ${out}`);
} finally {
  for (const close of closers) await close();
  rmSync(dir, { recursive: true, force: true });
}
