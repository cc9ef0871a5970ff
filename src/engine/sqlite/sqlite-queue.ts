import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  ClaimedTask,
  DeadLetter,
  Json,
  NewTask,
  QueueOptions,
  QueueStats,
  TaskQueue,
} from '../backend.js';
import { LeaseLostError } from '../errors.js';
import { notify, waitFor } from './wakeups.js';

interface TaskRow {
  seq: number;
  id: string;
  payload: string;
  headers: string;
  deliveries: number;
  errors: string;
  enqueued_at: number;
}

/** Longest sleep between polls for tasks enqueued by other processes. */
const MAX_POLL_MS = 100;

/**
 * A work queue in one SQLite table. Claiming is a single UPDATE ... RETURNING
 * that moves `available_at` to the end of the lease, so an expired lease makes
 * the task claimable again without any sweeper. A lease token guards ack, nak
 * and extend: a worker whose lease passed to another cannot finish the task.
 */
export class SqliteQueue implements TaskQueue {
  private readonly topic: string;
  private readonly sql;
  private enqueued = 0;

  constructor(
    private readonly db: Database.Database,
    readonly file: string,
    readonly name: string,
    readonly options: Required<QueueOptions>,
  ) {
    this.topic = `${file}#queue:${name}`;
    this.sql = {
      insert: db.prepare(
        `INSERT INTO engine_tasks (queue, id, payload, headers, available_at, enqueued_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (queue, id) DO NOTHING`,
      ),
      reviveExpired: db.prepare(
        `DELETE FROM engine_tasks WHERE queue = ? AND id = ? AND done = 1 AND available_at <= ?`,
      ),
      claim: db.prepare(
        `UPDATE engine_tasks SET deliveries = deliveries + 1, available_at = ?, lease_token = ?
         WHERE seq = (SELECT seq FROM engine_tasks WHERE queue = ? AND done = 0 AND available_at <= ?
                      ORDER BY available_at, seq LIMIT 1)
         RETURNING seq, id, payload, headers, deliveries, errors, enqueued_at`,
      ),
      ack: db.prepare(
        `UPDATE engine_tasks SET done = 1, lease_token = NULL, available_at = ?, payload = '', errors = '[]'
         WHERE seq = ? AND lease_token = ?`,
      ),
      ackNoWindow: db.prepare('DELETE FROM engine_tasks WHERE seq = ? AND lease_token = ?'),
      extend: db.prepare('UPDATE engine_tasks SET available_at = ? WHERE seq = ? AND lease_token = ?'),
      nak: db.prepare(
        `UPDATE engine_tasks SET available_at = ?, lease_token = NULL, errors = json_insert(errors, '$[#]', ?)
         WHERE seq = ? AND lease_token = ?`,
      ),
      remove: db.prepare('DELETE FROM engine_tasks WHERE seq = ? AND lease_token = ?'),
      removeExpired: db.prepare('DELETE FROM engine_tasks WHERE seq = ?'),
      dead: db.prepare(
        `INSERT INTO engine_dead_letters (queue, id, payload, headers, deliveries, errors, dead_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      listDead: db.prepare(
        'SELECT id, payload, headers, deliveries, errors, dead_at FROM engine_dead_letters WHERE queue = ? ORDER BY dead_at, rowid',
      ),
      stats: db.prepare(
        `SELECT
           COALESCE(SUM(CASE WHEN lease_token IS NULL AND done = 0 THEN 1 ELSE 0 END), 0) AS ready,
           COALESCE(SUM(CASE WHEN lease_token IS NOT NULL AND available_at > ? THEN 1 ELSE 0 END), 0) AS leased,
           COALESCE(SUM(CASE WHEN lease_token IS NOT NULL AND available_at <= ? THEN 1 ELSE 0 END), 0) AS expired
         FROM engine_tasks WHERE queue = ? AND done = 0`,
      ),
      deadCount: db.prepare('SELECT COUNT(*) FROM engine_dead_letters WHERE queue = ?').pluck(),
      sweep: db.prepare('DELETE FROM engine_tasks WHERE queue = ? AND done = 1 AND available_at <= ?'),
    };
  }

  async enqueue(task: NewTask): Promise<{ duplicate: boolean }> {
    const now = Date.now();
    const payload = JSON.stringify(task.payload);
    const headers = JSON.stringify(task.headers ?? {});
    let result = this.sql.insert.run(this.name, task.id, payload, headers, now, now);
    if (result.changes === 0 && this.sql.reviveExpired.run(this.name, task.id, now).changes > 0) {
      result = this.sql.insert.run(this.name, task.id, payload, headers, now, now);
    }
    if (result.changes > 0) notify(this.topic);
    // acknowledged tasks are kept for the dedup window; clear the expired ones now and then
    if (++this.enqueued % 1024 === 0) this.sql.sweep.run(this.name, now);
    return { duplicate: result.changes === 0 };
  }

  async claim(options: { waitMs?: number; signal?: AbortSignal } = {}): Promise<ClaimedTask | undefined> {
    const deadline = Date.now() + (options.waitMs ?? 0);
    let pause = 5;
    for (;;) {
      const task = this.claimNow();
      if (task) return task;
      const left = deadline - Date.now();
      if (left <= 0 || options.signal?.aborted) return undefined;
      await waitFor(this.topic, Math.min(left, pause), options.signal);
      pause = Math.min(MAX_POLL_MS, pause * 2);
    }
  }

  private claimNow(): ClaimedTask | undefined {
    for (;;) {
      const now = Date.now();
      const token = randomUUID();
      const row = this.sql.claim.get(now + this.options.leaseMs, token, this.name, now) as
        | TaskRow
        | undefined;
      if (!row) return undefined;
      if (row.deliveries > this.options.maxDeliveries) {
        const errors = [
          ...(JSON.parse(row.errors) as string[]),
          `lease expired on delivery ${row.deliveries - 1}`,
        ];
        this.db.transaction(() => {
          this.sql.dead.run(
            this.name,
            row.id,
            row.payload,
            row.headers,
            row.deliveries - 1,
            JSON.stringify(errors),
            now,
          );
          this.sql.removeExpired.run(row.seq);
        })();
        continue;
      }
      return this.claimed(row, token);
    }
  }

  private claimed(row: TaskRow, token: string): ClaimedTask {
    const { seq } = row;
    const lost = (what: string) => new LeaseLostError(`${what} task ${row.id} in queue ${this.name}`);
    const deadLetter = async (error: string) => {
      const errors = [...(JSON.parse(row.errors) as string[]), error];
      const moved = this.db.transaction(() => {
        if (this.sql.remove.run(seq, token).changes === 0) return false;
        this.sql.dead.run(
          this.name,
          row.id,
          row.payload,
          row.headers,
          row.deliveries,
          JSON.stringify(errors),
          Date.now(),
        );
        return true;
      })();
      if (!moved) throw lost('dead-letter');
    };
    return {
      id: row.id,
      payload: JSON.parse(row.payload) as Json,
      headers: JSON.parse(row.headers) as Record<string, string>,
      deliveries: row.deliveries,
      enqueuedAt: row.enqueued_at,
      extend: async () => {
        if (this.sql.extend.run(Date.now() + this.options.leaseMs, seq, token).changes === 0)
          throw lost('extend');
      },
      ack: async () => {
        const window = this.options.dedupWindowMs;
        const changes =
          window > 0
            ? this.sql.ack.run(Date.now() + window, seq, token).changes
            : this.sql.ackNoWindow.run(seq, token).changes;
        if (changes === 0) throw lost('ack');
      },
      nak: async ({ delayMs = 0, error = 'handed back' } = {}) => {
        if (row.deliveries >= this.options.maxDeliveries) return deadLetter(error);
        if (this.sql.nak.run(Date.now() + delayMs, error, seq, token).changes === 0) throw lost('nak');
        notify(this.topic);
      },
      deadLetter,
    };
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const rows = this.sql.listDead.all(this.name) as {
      id: string;
      payload: string;
      headers: string;
      deliveries: number;
      errors: string;
      dead_at: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      payload: JSON.parse(r.payload) as Json,
      headers: JSON.parse(r.headers) as Record<string, string>,
      deliveries: r.deliveries,
      errors: JSON.parse(r.errors) as string[],
      deadAt: r.dead_at,
    }));
  }

  async stats(): Promise<QueueStats> {
    const now = Date.now();
    this.sql.sweep.run(this.name, now);
    const row = this.sql.stats.get(now, now, this.name) as { ready: number; leased: number; expired: number };
    return {
      ready: row.ready + row.expired,
      leased: row.leased,
      deadLetters: this.sql.deadCount.get(this.name) as number,
    };
  }

  async destroy(): Promise<void> {
    this.db.prepare('DELETE FROM engine_tasks WHERE queue = ?').run(this.name);
    this.db.prepare('DELETE FROM engine_dead_letters WHERE queue = ?').run(this.name);
  }
}
