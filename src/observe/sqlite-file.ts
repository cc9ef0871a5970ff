import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreOpenError, StoreReadOnlyError, StoreVersionError } from './errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) a SQLite file in WAL mode and brings its schema
 * up to date. A file whose permission bits allow no writing is refused up
 * front even when running as root: the owner marked it read-only on purpose.
 */
export function openStoreFile(file: string, busyTimeoutMs = 5000): SqliteDatabase {
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
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma('foreign_keys = ON');
    migrate(db, file);
  } catch (error) {
    if (isReadOnly(error)) throw new StoreReadOnlyError(file, error);
    if (error instanceof StoreVersionError) throw error;
    throw new StoreOpenError(file, error);
  }
  return db;
}

function migrate(db: SqliteDatabase, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new StoreVersionError(file, current, SCHEMA_VERSION);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

export function isReadOnly(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return code.startsWith('SQLITE_READONLY') || /readonly database/i.test(String(error));
}
