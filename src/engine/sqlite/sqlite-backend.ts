import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqlite } from '../../observe/sqlite-file.js';
import { type Backend, type KvStore, QUEUE_DEFAULTS, type QueueOptions, type TaskQueue } from '../backend.js';
import { checkName } from '../names.js';
import { ENGINE_MIGRATIONS } from './migrations.js';
import { SqliteKv } from './sqlite-kv.js';
import { SqliteQueue } from './sqlite-queue.js';

/**
 * The embedded backend: one SQLite file in WAL mode, shared by every worker
 * process on the machine. Zero setup; the default.
 */
export class SqliteBackend implements Backend {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;

  constructor(readonly location: string) {
    this.db = openSqlite(location === ':memory:' ? location : resolve(location), 'engine', ENGINE_MIGRATIONS);
  }

  async queue(name: string, options: QueueOptions = {}): Promise<TaskQueue> {
    return new SqliteQueue(this.db, this.location, checkName('queue', name), {
      ...QUEUE_DEFAULTS,
      ...options,
    });
  }

  async kv(bucket: string): Promise<KvStore> {
    return new SqliteKv(this.db, this.location, checkName('bucket', bucket));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
