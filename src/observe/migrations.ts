import type { Migration } from './sqlite-file.js';

/** The run store's schema. A migration is never edited once released: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        agent TEXT NOT NULL,
        task TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        output TEXT,
        error TEXT,
        error_code TEXT
      );
      CREATE INDEX runs_tenant_started ON runs (tenant_id, started_at);
      CREATE TABLE nodes (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs (id),
        parent_id TEXT,
        agent TEXT NOT NULL,
        task TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        depth INTEGER NOT NULL,
        status TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        steps INTEGER NOT NULL DEFAULT 0,
        model_calls INTEGER NOT NULL DEFAULT 0,
        tool_calls INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL DEFAULT 0,
        guard TEXT,
        output TEXT,
        error TEXT
      );
      CREATE INDEX nodes_run ON nodes (run_id);
      CREATE TABLE events (
        -- a rowid alias: increasing as long as no event is ever deleted, which the store never does
        seq INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        type TEXT NOT NULL,
        ts INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX events_run ON events (run_id, seq);
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE steps (
        run_id TEXT NOT NULL,
        step_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER,
        finished_at INTEGER,
        error TEXT,
        PRIMARY KEY (run_id, step_id)
      );
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
