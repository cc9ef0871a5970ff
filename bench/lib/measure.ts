/** Timing, statistics, store accounting and machine description shared by the benchmarks. */
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

export interface Stats {
  runs: number;
  /** Wall time of all measured batches over the runs in them (so it includes GC and anything deferred). */
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  minMs: number;
  /** `meanMs` over the model calls of one run. */
  perModelCallMs: number;
}

/** Per-run times of one runtime on one scenario, gathered over several batches. */
export class Samples {
  readonly times: number[] = [];
  wallMs = 0;

  /** Times `runs` calls of `fn` one by one, then `end` (a store flush) inside the batch's wall time. */
  async batch(runs: number, fn: () => Promise<void>, end?: () => void): Promise<void> {
    const start = performance.now();
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn();
      this.times.push(performance.now() - t0);
    }
    end?.();
    this.wallMs += performance.now() - start;
  }

  stats(modelCalls: number): Stats {
    const sorted = Float64Array.from(this.times).sort();
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
    const meanMs = this.wallMs / sorted.length;
    return {
      runs: sorted.length,
      meanMs,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
      minMs: sorted[0] ?? Number.NaN,
      perModelCallMs: meanMs / modelCalls,
    };
  }
}

export interface StoreSnapshot {
  bytes: number;
  events: number;
  runs: number;
}

/** Checkpoints the WAL into the main file (call it outside any timing) and reads the totals. */
export function storeSnapshot(file: string): StoreSnapshot {
  const db = new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const count = (table: string) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { bytes: statSync(file).size, events: count('events'), runs: count('runs') };
  } finally {
    db.close();
  }
}

/** The stored events of the latest run of `agent`, counted by type. */
export function lastRunEventTypes(file: string, agent: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const last = db.prepare('SELECT id FROM runs WHERE agent = ? ORDER BY rowid DESC LIMIT 1').get(agent) as
      | { id: string }
      | undefined;
    if (!last) return {};
    const rows = db
      .prepare('SELECT type, COUNT(*) AS n FROM events WHERE run_id = ? GROUP BY type ORDER BY type')
      .all(last.id) as { type: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  } finally {
    db.close();
  }
}

export interface Machine {
  node: string;
  platform: string;
  nproc: number;
  cpu: string;
}

export function machine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpu = line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    nproc: availableParallelism(),
    cpu,
  };
}

export function packageVersion(name: string): string {
  try {
    const file = join(BENCH_DIR, '..', 'node_modules', ...name.split('/'), 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Load average over the last minute, to tell a quiet machine from a busy one in the results. */
export function loadAverage(): number | undefined {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

export function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

export const ms = (n: number | undefined, digits = 3): string => (n === undefined ? '–' : n.toFixed(digits));
