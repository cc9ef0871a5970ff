import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { SwarmError } from '../../core/errors.js';
import { processAlive } from '../../core/process-alive.js';
import {
  AuditLogCorruptError,
  AuditLogLockedError,
  AuditLogOpenError,
  AuditWriteError,
} from './audit-errors.js';
import { type AuditEntry, type AuditRecord, auditRecordSchema, GENESIS, recordHash } from './audit-record.js';

/** Records written in one go before the event loop turns; past it a batch is written at once. */
const MAX_BATCH = 256;
const TAIL_CHUNK = 64 * 1024;

const shared = new Map<string, { log: AuditLog; refs: number }>();

export interface AuditLogOptions {
  /** Told once per distinct write failure; the records stay pending and are retried. */
  onError?: (error: AuditWriteError) => void;
}

/**
 * The decision audit log: an append-only JSONL file, each record chained to
 * the one before by SHA-256. Records are numbered and hashed the moment they
 * are appended (so concurrent callers in one process are serialised in one
 * order), then written and fsynced in batches when the event loop turns.
 * Nothing is ever rewritten. One process writes a file: a lock file beside
 * it names the holder; another process gets AuditLogLockedError (see
 * `openProcessAuditLog`, which gives it a file of its own).
 */
export class AuditLog {
  private fd: number;
  private seq: number;
  private prev: string;
  private pending: string[] = [];
  /** Bytes of the first pending line already on disk after a partial write. */
  private written = 0;
  private scheduled = false;
  private lastError: string | undefined;
  private readonly lockFile: string;

  private constructor(
    readonly file: string,
    private readonly options: AuditLogOptions,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.lockFile = `${file}.lock`;
    takeLock(this.lockFile, file);
    try {
      const tail = lastRecord(file);
      this.seq = tail?.seq ?? 0;
      this.prev = tail?.hash ?? GENESIS;
      this.fd = openSync(file, 'a', 0o600);
    } catch (error) {
      unlinkSync(this.lockFile);
      throw error;
    }
  }

  /** The log for `file`, shared by everything in this process that writes to it. Close each one opened. */
  static open(file: string, options: AuditLogOptions = {}): AuditLog {
    const path = resolve(file);
    const entry = shared.get(path);
    if (entry) {
      entry.refs++;
      return entry.log;
    }
    let log: AuditLog;
    try {
      log = new AuditLog(path, options);
    } catch (error) {
      if (error instanceof SwarmError) throw error;
      throw new AuditLogOpenError(path, error);
    }
    shared.set(path, { log, refs: 1 });
    return log;
  }

  /** Numbers, chains and queues one record; it reaches the disk (fsynced) when the event loop next turns, or at flush(). */
  append(entry: AuditEntry): AuditRecord {
    const body = {
      seq: this.seq + 1,
      ts: Date.now(),
      kind: entry.kind,
      runId: entry.runId,
      actor: entry.actor,
      data: entry.data,
      prev: this.prev,
    };
    const record: AuditRecord = { ...body, hash: recordHash(body) };
    this.seq = record.seq;
    this.prev = record.hash;
    this.pending.push(`${JSON.stringify(record)}\n`);
    if (this.pending.length >= MAX_BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
    return record;
  }

  /** Writes and fsyncs what is pending; on failure keeps it for the next attempt and returns false. */
  flush(): boolean {
    if (this.pending.length === 0 || this.fd < 0) return true;
    try {
      const batch = Buffer.from(this.pending.join(''));
      while (this.written < batch.length)
        this.written += writeSync(this.fd, batch, this.written, batch.length - this.written);
      this.pending = [];
      this.written = 0;
      fsyncSync(this.fd);
      this.lastError = undefined;
      return true;
    } catch (cause) {
      const error = new AuditWriteError(this.file, this.pending.length, cause);
      if (error.message !== this.lastError) this.options.onError?.(error);
      this.lastError = error.message;
      return false;
    }
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Flushes and, when the last user closes it, releases the file and its lock. */
  close(): void {
    const entry = shared.get(this.file);
    if (entry && --entry.refs > 0) {
      this.flush();
      return;
    }
    shared.delete(this.file);
    this.flush();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    try {
      unlinkSync(this.lockFile);
    } catch {
      // already gone: nothing to release
    }
  }
}

/**
 * The audit log of this process: `file` if no other process holds it,
 * otherwise `<name>.<host>-<pid>.jsonl` beside it, each file its own chain.
 */
export function openProcessAuditLog(file: string, options: AuditLogOptions = {}): AuditLog {
  try {
    return AuditLog.open(file, options);
  } catch (error) {
    if (!(error instanceof AuditLogLockedError)) throw error;
    const name = basename(file).replace(/\.jsonl$/, '');
    return AuditLog.open(join(dirname(file), `${name}.${hostname()}-${process.pid}.jsonl`), options);
  }
}

function takeLock(lockFile: string, file: string): void {
  const me = `${hostname()}:${process.pid}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, me, { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = '';
    try {
      holder = readFileSync(lockFile, 'utf8').trim();
    } catch {
      continue;
    }
    if (!isStale(holder)) throw new AuditLogLockedError(file, holder);
    try {
      unlinkSync(lockFile);
    } catch {
      // another process took the stale lock first; the next attempt sees its lock
    }
  }
  throw new AuditLogLockedError(file, 'unknown');
}

/** A lock left by a process of this host that no longer runs (a crash). */
function isStale(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  return !processAlive(pid);
}

/** The last record of an existing log, checked, so the chain continues from it; undefined for a new log. */
function lastRecord(file: string): AuditRecord | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return undefined;
    let start = size;
    let tail = Buffer.alloc(0);
    // read backwards until the line before the last one ends, or the file starts
    while (start > 0) {
      const length = Math.min(TAIL_CHUNK, start);
      start -= length;
      const chunk = Buffer.alloc(length);
      readSync(fd, chunk, 0, length, start);
      tail = Buffer.concat([chunk, tail]);
      if (tail.subarray(0, tail.length - 1).includes(10)) break;
    }
    const text = tail.toString('utf8');
    if (!text.endsWith('\n'))
      throw new AuditLogCorruptError(file, 'the last record is incomplete (a write was cut off)');
    const line = text.slice(text.lastIndexOf('\n', text.length - 2) + 1, -1);
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new AuditLogCorruptError(file, 'the last record is not valid JSON');
    }
    const record = auditRecordSchema.safeParse(parsed);
    if (!record.success) throw new AuditLogCorruptError(file, 'the last record is not an audit record');
    if (recordHash(record.data) !== record.data.hash) {
      throw new AuditLogCorruptError(
        file,
        `the last record (seq ${record.data.seq}) does not match its hash`,
      );
    }
    return record.data;
  } finally {
    closeSync(fd);
  }
}
