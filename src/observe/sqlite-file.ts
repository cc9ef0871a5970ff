import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreOpenError, StoreReadOnlyError, StoreVersionError } from './errors.js';

type SqliteDatabase = Database.Database;

export interface Migration {
  version: number;
  sql: string;
}

/**
 * Opens (creating if needed) a SQLite file in WAL mode and brings the
 * component's schema up to date. Several components (the run store, the
 * engine) share one file, each with its own versioned migrations. A file
 * whose permission bits allow no writing is refused up front even when
 * running as root: the owner marked it read-only on purpose.
 */
export function openSqlite(
  file: string,
  component: string,
  migrations: readonly Migration[],
  busyTimeoutMs = 5000,
): SqliteDatabase {
  if (file !== ':memory:') {
    if (existsSync(file) && (statSync(file).mode & 0o222) === 0) throw new StoreReadOnlyError(file);
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (error) {
      throw new StoreOpenError(file, error);
    }
  }
  let db: SqliteDatabase;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // fewer, larger checkpoints: each one fsyncs, and the default (every 1000 pages) stalls a busy writer often
    db.pragma('wal_autocheckpoint = 8000');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma('foreign_keys = ON');
    migrate(db, file, component, migrations);
  } catch (error) {
    if (isReadOnly(error)) throw new StoreReadOnlyError(file, error);
    if (error instanceof StoreVersionError) throw error;
    throw new StoreOpenError(file, error);
  }
  return db;
}

function migrate(
  db: SqliteDatabase,
  file: string,
  component: string,
  migrations: readonly Migration[],
): void {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)',
    );
    const row = db.prepare('SELECT version FROM schema_versions WHERE component = ?').get(component) as
      | { version: number }
      | undefined;
    const current = row?.version ?? 0;
    if (current > latest) throw new StoreVersionError(file, current, latest);
    for (const migration of migrations) {
      if (migration.version > current) db.exec(migration.sql);
    }
    if (latest > current) {
      db.prepare(
        'INSERT INTO schema_versions (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version',
      ).run(component, latest);
    }
  }).immediate();
}

export function isReadOnly(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return code.startsWith('SQLITE_READONLY') || /readonly database/i.test(String(error));
}
