import type { Migration } from '../../observe/sqlite-file.js';

/** The engine's tables; they may share a file with the run store. */
export const ENGINE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE engine_tasks (
        -- a rowid alias: AUTOINCREMENT would write sqlite_sequence on every enqueue (about a third more pages)
        seq INTEGER PRIMARY KEY,
        queue TEXT NOT NULL,
        id TEXT NOT NULL,
        payload TEXT NOT NULL,
        headers TEXT NOT NULL,
        deliveries INTEGER NOT NULL DEFAULT 0,
        -- claimable when done = 0 and available_at <= now; a lease moves available_at to its end
        available_at INTEGER NOT NULL,
        lease_token TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        errors TEXT NOT NULL DEFAULT '[]',
        enqueued_at INTEGER NOT NULL,
        UNIQUE (queue, id)
      );
      CREATE INDEX engine_tasks_claim ON engine_tasks (queue, done, available_at);
      CREATE TABLE engine_dead_letters (
        queue TEXT NOT NULL,
        id TEXT NOT NULL,
        payload TEXT NOT NULL,
        headers TEXT NOT NULL,
        deliveries INTEGER NOT NULL,
        errors TEXT NOT NULL,
        dead_at INTEGER NOT NULL
      );
      CREATE INDEX engine_dead_letters_queue ON engine_dead_letters (queue, dead_at);
      CREATE TABLE engine_kv (
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        revision INTEGER NOT NULL,
        expires_at INTEGER,
        PRIMARY KEY (bucket, key)
      );
      CREATE TABLE engine_kv_revisions (bucket TEXT PRIMARY KEY, revision INTEGER NOT NULL);
      CREATE TABLE engine_kv_log (
        bucket TEXT NOT NULL,
        revision INTEGER NOT NULL,
        key TEXT NOT NULL,
        value TEXT,
        PRIMARY KEY (bucket, revision)
      );
    `,
  },
];
