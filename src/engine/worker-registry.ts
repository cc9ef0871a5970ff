import { hostname } from 'node:os';
import { z } from 'zod';
import type { KvStore } from './backend.js';
import type { Worker } from './worker.js';

export const workerRecordSchema = z.object({
  node: z.string(),
  host: z.string(),
  pid: z.number(),
  concurrency: z.number(),
  inFlight: z.number(),
  claimed: z.array(z.object({ taskId: z.string(), deliveries: z.number(), since: z.number() })),
  startedAt: z.number(),
  heartbeatAt: z.number(),
});

export type WorkerRecord = z.infer<typeof workerRecordSchema>;

/** The engine bucket where workers announce themselves. */
export const WORKERS_BUCKET = 'workers';

/**
 * The engine's workers as each announces itself on the engine's key-value
 * store, so any process (the dashboard's fleet view) sees every worker on
 * every machine. An entry is rewritten every interval with a TTL of three
 * intervals, and readers also drop entries whose heartbeat is that old: a
 * killed worker vanishes by itself (NATS 2.9 has no per-key TTL); one that
 * stops removes its entry at once.
 */
export class WorkerRegistry {
  constructor(
    private readonly kv: KvStore,
    private readonly intervalMs = 2_000,
  ) {}

  /** Publishes `worker` under `node` until the returned stop(). */
  announce(node: string, worker: Worker): { stop(): Promise<void> } {
    const key = keyOf(node);
    const startedAt = Date.now();
    const write = () =>
      this.kv
        .put(
          key,
          {
            node,
            host: hostname(),
            pid: process.pid,
            concurrency: worker.concurrency,
            inFlight: worker.inFlight,
            claimed: worker.claimed(),
            startedAt,
            heartbeatAt: Date.now(),
          },
          { ttlMs: this.intervalMs * 3 },
        )
        // a backend that is briefly unreachable only delays the next heartbeat
        .catch(() => undefined);
    let last = write();
    const timer = setInterval(() => {
      last = last.then(write);
    }, this.intervalMs);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await last;
        await this.kv.delete(key).catch(() => false);
      },
    };
  }

  /** Live workers, by node name. */
  async list(): Promise<WorkerRecord[]> {
    const staleBefore = Date.now() - this.intervalMs * 3;
    const records: WorkerRecord[] = [];
    for (const key of await this.kv.keys()) {
      const parsed = workerRecordSchema.safeParse((await this.kv.get(key))?.value);
      if (parsed.success && parsed.data.heartbeatAt >= staleBefore) records.push(parsed.data);
    }
    return records.sort((a, b) => a.node.localeCompare(b.node));
  }
}

/** Node names come from host names, which may hold characters KV keys do not take. */
function keyOf(node: string): string {
  return node.replace(/[^a-zA-Z0-9_\-=.]/g, '_').slice(0, 512);
}
