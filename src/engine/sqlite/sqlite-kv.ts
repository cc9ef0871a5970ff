import type Database from 'better-sqlite3';
import type { Json, KvChange, KvEntry, KvOptions, KvStore } from '../backend.js';
import { checkKey } from '../names.js';
import { notify, subscribe } from './wakeups.js';

interface Row {
  key: string;
  value: string;
  revision: number;
  expires_at: number | null;
}

const POLL_MS = 100;
/** Change-log entries older than this many revisions are pruned; watchers only need the recent tail. */
const LOG_KEEP = 10_000;

/**
 * A key-value bucket in SQLite. Every write takes the bucket's next revision
 * (as a JetStream KV stream sequence does) and appends to a change log that
 * watchers in any process read. TTL is checked on read: an expired entry is
 * absent, and create() may take its place.
 */
export class SqliteKv implements KvStore {
  private readonly topic: string;
  private readonly sql;
  private readonly writeTx;

  constructor(
    private readonly db: Database.Database,
    file: string,
    readonly bucket: string,
  ) {
    this.topic = `${file}#kv:${bucket}`;
    db.prepare('INSERT INTO engine_kv_revisions (bucket, revision) VALUES (?, 0) ON CONFLICT DO NOTHING').run(
      bucket,
    );
    this.sql = {
      get: db.prepare('SELECT key, value, revision, expires_at FROM engine_kv WHERE bucket = ? AND key = ?'),
      next: db
        .prepare('UPDATE engine_kv_revisions SET revision = revision + 1 WHERE bucket = ? RETURNING revision')
        .pluck(),
      upsert: db.prepare(
        `INSERT INTO engine_kv (bucket, key, value, revision, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value, revision = excluded.revision, expires_at = excluded.expires_at`,
      ),
      remove: db.prepare('DELETE FROM engine_kv WHERE bucket = ? AND key = ?'),
      log: db.prepare('INSERT INTO engine_kv_log (bucket, revision, key, value) VALUES (?, ?, ?, ?)'),
      prune: db.prepare('DELETE FROM engine_kv_log WHERE bucket = ? AND revision < ?'),
      keys: db
        .prepare(
          'SELECT key FROM engine_kv WHERE bucket = ? AND key >= ? AND key < ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY key',
        )
        .pluck(),
      changes: db.prepare(
        'SELECT revision, key, value FROM engine_kv_log WHERE bucket = ? AND revision > ? ORDER BY revision',
      ),
      head: db.prepare('SELECT revision FROM engine_kv_revisions WHERE bucket = ?').pluck(),
    };
    this.writeTx = db.transaction(
      (key: string, value: string | null, ttlMs: number | undefined, expect: 'any' | 'absent' | number) => {
        const now = Date.now();
        const current = this.live(this.sql.get.get(this.bucket, key) as Row | undefined, now);
        if (expect === 'absent' && current) return undefined;
        if (typeof expect === 'number' && current?.revision !== expect) return undefined;
        if (value === null && !current) return undefined;
        const revision = this.sql.next.get(this.bucket) as number;
        if (value === null) this.sql.remove.run(this.bucket, key);
        else this.sql.upsert.run(this.bucket, key, value, revision, ttlMs === undefined ? null : now + ttlMs);
        this.sql.log.run(this.bucket, revision, key, value);
        if (revision % 1000 === 0) this.sql.prune.run(this.bucket, revision - LOG_KEEP);
        return revision;
      },
    );
  }

  private live(row: Row | undefined, now: number): Row | undefined {
    return row && (row.expires_at === null || row.expires_at > now) ? row : undefined;
  }

  private write(
    key: string,
    value: Json | null,
    options: KvOptions | undefined,
    expect: 'any' | 'absent' | number,
  ) {
    const revision = this.writeTx.immediate(
      checkKey(key),
      value === null ? null : JSON.stringify(value),
      options?.ttlMs,
      expect,
    ) as number | undefined;
    if (revision !== undefined) notify(this.topic);
    return revision;
  }

  async get(key: string): Promise<KvEntry | undefined> {
    const row = this.live(this.sql.get.get(this.bucket, checkKey(key)) as Row | undefined, Date.now());
    return row ? { key, value: JSON.parse(row.value) as Json, revision: row.revision } : undefined;
  }

  async put(key: string, value: Json, options?: KvOptions): Promise<number> {
    return this.write(key, value, options, 'any')!;
  }

  async create(key: string, value: Json, options?: KvOptions): Promise<number | undefined> {
    return this.write(key, value, options, 'absent');
  }

  async update(key: string, value: Json, revision: number, options?: KvOptions): Promise<number | undefined> {
    return this.write(key, value, options, revision);
  }

  async delete(key: string, options: { revision?: number } = {}): Promise<boolean> {
    return this.write(key, null, undefined, options.revision ?? 'any') !== undefined;
  }

  async keys(prefix = ''): Promise<string[]> {
    return this.sql.keys.all(this.bucket, prefix, `${prefix}\uffff`, Date.now()) as string[];
  }

  async watch(prefix: string, onChange: (change: KvChange) => void): Promise<() => void> {
    let seen = this.sql.head.get(this.bucket) as number;
    const drain = () => {
      const rows = this.sql.changes.all(this.bucket, seen) as {
        revision: number;
        key: string;
        value: string | null;
      }[];
      for (const row of rows) {
        seen = row.revision;
        if (!row.key.startsWith(prefix)) continue;
        onChange({
          key: row.key,
          value: row.value === null ? undefined : (JSON.parse(row.value) as Json),
          revision: row.revision,
        });
      }
    };
    const unsubscribe = subscribe(this.topic, drain);
    const timer = setInterval(drain, POLL_MS);
    timer.unref();
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }

  async destroy(): Promise<void> {
    this.db.transaction(() => {
      for (const table of ['engine_kv', 'engine_kv_log', 'engine_kv_revisions']) {
        this.db.prepare(`DELETE FROM ${table} WHERE bucket = ?`).run(this.bucket);
      }
    })();
  }
}
