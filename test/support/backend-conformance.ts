import { randomUUID } from 'node:crypto';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, KvChange, KvStore, QueueOptions, TaskQueue } from '../../src/engine/backend.js';
import { LeaseLostError } from '../../src/engine/errors.js';
import { LeaderLease } from '../../src/engine/leader-lease.js';
import { Worker } from '../../src/engine/worker.js';
import { WorkerRegistry } from '../../src/engine/worker-registry.js';
import { formatRunTrace, parseRunTrace, runTraceHeaders } from '../../src/observe/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds or the time is up; backends differ in how soon a change is visible. */
async function eventually(check: () => Promise<boolean> | boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/**
 * One suite, run against every Backend implementation: what a worker, the
 * scheduler and the workflow engine rely on must hold on all of them.
 */
export function backendConformance(label: string, open: () => Promise<Backend>): void {
  describe(`Backend conformance: ${label}`, () => {
    let backend: Backend;
    const queues: TaskQueue[] = [];
    const buckets: KvStore[] = [];
    const unique = () => `t${randomUUID().slice(0, 8)}`;
    const queue = async (options: QueueOptions = {}) => {
      const q = await backend.queue(unique(), options);
      queues.push(q);
      return q;
    };
    const bucket = async () => {
      const b = await backend.kv(unique());
      buckets.push(b);
      return b;
    };

    beforeAll(async () => {
      backend = await open();
    });
    afterAll(async () => {
      for (const q of queues) await q.destroy();
      for (const b of buckets) await b.destroy();
      await backend?.close();
    });

    describe('task queue', () => {
      it('delivers tasks in order with payload and headers, once each', async () => {
        const q = await queue();
        for (let i = 0; i < 5; i++)
          await q.enqueue({
            id: `task-${i}`,
            payload: { i, nested: [1, 'two'] },
            headers: { trace: `t${i}` },
          });
        const seen: number[] = [];
        for (let i = 0; i < 5; i++) {
          const task = await q.claim({ waitMs: 1000 });
          expect(task).toBeDefined();
          expect(task!.payload).toEqual({ i, nested: [1, 'two'] });
          expect(task!.headers.trace).toBe(`t${i}`);
          expect(task!.deliveries).toBe(1);
          seen.push((task!.payload as { i: number }).i);
          await task!.ack();
        }
        expect(seen).toEqual([0, 1, 2, 3, 4]);
        expect(await q.claim()).toBeUndefined();
      });

      it('waits for a task that arrives during the claim', async () => {
        const q = await queue();
        const claiming = q.claim({ waitMs: 3000 });
        await sleep(100);
        await q.enqueue({ id: 'late', payload: 'hello' });
        const task = await claiming;
        expect(task?.payload).toBe('hello');
        await task?.ack();
      });

      it('stops waiting when the signal aborts', async () => {
        const q = await queue();
        const controller = new AbortController();
        const started = Date.now();
        setTimeout(() => controller.abort(), 100);
        expect(await q.claim({ waitMs: 5000, signal: controller.signal })).toBeUndefined();
        expect(Date.now() - started).toBeLessThan(2000);
      });

      it('drops a second enqueue with the same id, before and after the first is done', async () => {
        const q = await queue();
        expect(await q.enqueue({ id: 'same', payload: 1 })).toEqual({ duplicate: false });
        expect(await q.enqueue({ id: 'same', payload: 2 })).toEqual({ duplicate: true });
        const task = await q.claim({ waitMs: 1000 });
        await task!.ack();
        expect(await q.enqueue({ id: 'same', payload: 3 })).toEqual({ duplicate: true });
        expect(await q.claim({ waitMs: 200 })).toBeUndefined();
      });

      it('hands a task whose lease expired to the next claimer, and refuses the old holder', async () => {
        const q = await queue({ leaseMs: 400 });
        await q.enqueue({ id: 'slow', payload: null });
        const first = await q.claim({ waitMs: 1000 });
        expect(await q.claim()).toBeUndefined();
        let second: Awaited<ReturnType<TaskQueue['claim']>>;
        await eventually(async () => {
          second = await q.claim();
          return second !== undefined;
        });
        expect(second!.id).toBe('slow');
        expect(second!.deliveries).toBe(2);
        await expect(first!.ack()).rejects.toBeInstanceOf(LeaseLostError);
        await second!.ack();
      });

      it('keeps a task leased while its holder extends the lease', async () => {
        const q = await queue({ leaseMs: 400 });
        await q.enqueue({ id: 'long', payload: null });
        const task = await q.claim({ waitMs: 1000 });
        for (let i = 0; i < 4; i++) {
          await sleep(200);
          await task!.extend();
          expect(await q.claim()).toBeUndefined();
        }
        await task!.ack();
      });

      it('redelivers a nak after its delay and keeps the errors', async () => {
        const q = await queue({ maxDeliveries: 5 });
        await q.enqueue({ id: 'retry', payload: null });
        const first = await q.claim({ waitMs: 1000 });
        await first!.nak({ delayMs: 400, error: 'first failure' });
        expect(await q.claim()).toBeUndefined();
        const again = await q.claim({ waitMs: 3000 });
        expect(again?.id).toBe('retry');
        expect(again?.deliveries).toBe(2);
        await again!.ack();
      });

      it('dead-letters a task that keeps failing, with its errors, without blocking others', async () => {
        const q = await queue({ maxDeliveries: 3 });
        await q.enqueue({ id: 'poison', payload: 'bad' });
        await q.enqueue({ id: 'good', payload: 'fine' });
        const done: string[] = [];
        for (let i = 0; i < 20 && ((await q.deadLetters()).length === 0 || done.length === 0); i++) {
          const task = await q.claim({ waitMs: 500 });
          if (!task) continue;
          if (task.id === 'poison') await task.nak({ error: `attempt ${task.deliveries} failed` });
          else {
            done.push(task.id);
            await task.ack();
          }
        }
        const [dead] = await q.deadLetters();
        expect(done).toEqual(['good']);
        expect(dead).toMatchObject({ id: 'poison', payload: 'bad', deliveries: 3 });
        expect(dead!.errors).toEqual(['attempt 1 failed', 'attempt 2 failed', 'attempt 3 failed']);
        expect(await q.claim({ waitMs: 200 })).toBeUndefined();
        expect((await q.stats()).deadLetters).toBe(1);
      });

      it('dead-letters a task whose holders keep dying (lease expiries count as deliveries)', async () => {
        const q = await queue({ leaseMs: 200, maxDeliveries: 2 });
        await q.enqueue({ id: 'crashy', payload: null });
        await q.claim({ waitMs: 1000 });
        await eventually(async () => (await q.claim()) !== undefined);
        await eventually(async () => {
          await q.claim();
          return (await q.deadLetters()).length === 1;
        });
        const [dead] = await q.deadLetters();
        expect(dead!.id).toBe('crashy');
        expect(dead!.errors.at(-1)).toMatch(/lease expired/);
      });

      it('dead-letters on request', async () => {
        const q = await queue();
        await q.enqueue({ id: 'doomed', payload: 1 });
        const task = await q.claim({ waitMs: 1000 });
        await task!.deadLetter('unrecoverable: bad input');
        expect((await q.deadLetters())[0]?.errors).toEqual(['unrecoverable: bad input']);
      });

      it('counts ready, leased and dead tasks', async () => {
        const q = await queue();
        for (let i = 0; i < 3; i++) await q.enqueue({ id: `s${i}`, payload: i });
        const task = await q.claim({ waitMs: 1000 });
        await eventually(async () => {
          const stats = await q.stats();
          return stats.ready === 2 && stats.leased === 1;
        });
        await task!.deadLetter('x');
        await eventually(async () => (await q.stats()).deadLetters === 1);
      });

      it('carries trace context headers through redelivery and dead-lettering, into the worker handler', async () => {
        const q = await queue({ maxDeliveries: 2 });
        const run = {
          runId: `run_${unique()}`,
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
          spanId: '00f067aa0ba902b7',
          parentSpanId: 'a3ce929d0e0e4736',
          startTime: 1_760_000_000_123,
        };
        const headers = formatRunTrace(run);
        expect(parseRunTrace(headers)).toEqual(run);
        await q.enqueue({ id: 'traced', payload: run.runId, headers });
        const first = await q.claim({ waitMs: 1000 });
        expect(first!.headers).toEqual(headers);
        await first!.nak({ delayMs: 0, error: 'again' });
        const contextManager = new AsyncLocalStorageContextManager().enable();
        context.setGlobalContextManager(contextManager);
        const seen: { headers: Record<string, string>; deliveries: number }[] = [];
        const worker = new Worker({
          queue: q,
          claimWaitMs: 100,
          retryDelayMs: () => 0,
          handler: async (task) => {
            await sleep(1);
            // what the handler enqueues next carries the same run trace
            seen.push({ headers: runTraceHeaders(String(task.payload)), deliveries: task.deliveries });
            throw new Error('fails on purpose');
          },
        }).start();
        try {
          await eventually(async () => (await q.deadLetters()).length === 1);
        } finally {
          await worker.stop(1000);
          context.disable();
        }
        expect(seen).toEqual([{ headers, deliveries: 2 }]);
        expect((await q.deadLetters())[0]!.headers).toEqual(headers);
      });

      it('gives each task to exactly one of many concurrent claimers', async () => {
        const q = await queue();
        const n = 60;
        for (let i = 0; i < n; i++) await q.enqueue({ id: `c${i}`, payload: i });
        const claimed: string[] = [];
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            for (;;) {
              const task = await q.claim({ waitMs: 300 });
              if (!task) return;
              claimed.push(task.id);
              await task.ack();
            }
          }),
        );
        expect(claimed).toHaveLength(n);
        expect(new Set(claimed).size).toBe(n);
      });
    });

    describe('key-value store', () => {
      it('gets, puts and deletes with increasing revisions', async () => {
        const kv = await bucket();
        expect(await kv.get('a')).toBeUndefined();
        const r1 = await kv.put('a', { n: 1 });
        const r2 = await kv.put('a', { n: 2 });
        expect(r2).toBeGreaterThan(r1);
        expect(await kv.get('a')).toEqual({ key: 'a', value: { n: 2 }, revision: r2 });
        expect(await kv.delete('a')).toBe(true);
        expect(await kv.get('a')).toBeUndefined();
      });

      it('creates only when absent', async () => {
        const kv = await bucket();
        const r = await kv.create('lock', 'me');
        expect(r).toBeTypeOf('number');
        expect(await kv.create('lock', 'you')).toBeUndefined();
        expect((await kv.get('lock'))?.value).toBe('me');
      });

      it('compares and sets on the revision', async () => {
        const kv = await bucket();
        const r1 = await kv.put('counter', 1);
        const r2 = await kv.update('counter', 2, r1);
        expect(r2).toBeTypeOf('number');
        expect(await kv.update('counter', 3, r1)).toBeUndefined();
        expect((await kv.get('counter'))?.value).toBe(2);
        expect(await kv.delete('counter', { revision: r1 })).toBe(false);
        expect(await kv.delete('counter', { revision: r2! })).toBe(true);
      });

      it('lets exactly one of many concurrent writers win a compare-and-set', async () => {
        const kv = await bucket();
        const r = await kv.put('race', 0);
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => kv.update('race', i + 1, r)));
        expect(results.filter((x) => x !== undefined)).toHaveLength(1);
      });

      it('expires entries written with a TTL', async () => {
        const kv = await bucket();
        await kv.put('short', 'lived', { ttlMs: 300 });
        expect((await kv.get('short'))?.value).toBe('lived');
        await sleep(450);
        expect(await kv.get('short')).toBeUndefined();
        expect(await kv.create('short', 'again')).toBeTypeOf('number');
      });

      it('lists keys by prefix', async () => {
        const kv = await bucket();
        for (const k of ['runs.a', 'runs.b', 'steps.a']) await kv.put(k, k);
        expect(await kv.keys('runs.')).toEqual(['runs.a', 'runs.b']);
        expect(await kv.keys()).toEqual(['runs.a', 'runs.b', 'steps.a']);
      });

      it('watches later changes under a prefix', async () => {
        const kv = await bucket();
        await kv.put('w.before', 0);
        const changes: KvChange[] = [];
        const stop = await kv.watch('w.', (c) => changes.push(c));
        await kv.put('w.one', 1);
        await kv.put('other', 'ignored');
        await kv.delete('w.one');
        await eventually(() => changes.length >= 2);
        stop();
        expect(changes.map((c) => [c.key, c.value])).toEqual([
          ['w.one', 1],
          ['w.one', undefined],
        ]);
      });

      it('refuses keys the backends cannot store', async () => {
        const kv = await bucket();
        await expect(kv.put('has space', 1)).rejects.toThrow(/not allowed/);
      });
    });

    describe('leader lease', () => {
      it('has one holder at a time, passes on after expiry, and fences a stale holder', async () => {
        const kv = await bucket();
        const a = new LeaderLease(kv, 'scheduler', 'node-a', 400);
        const b = new LeaderLease(kv, 'scheduler', 'node-b', 400);
        expect(await a.tryAcquire()).toBe(true);
        expect(await b.tryAcquire()).toBe(false);
        expect(await a.tryAcquire()).toBe(true);
        await sleep(500);
        expect(await b.tryAcquire()).toBe(true);
        expect(await a.stillLeader()).toBe(false);
        expect(await a.tryAcquire()).toBe(false);
        await b.release();
        expect(await a.tryAcquire()).toBe(true);
      });
    });

    describe('worker registry', () => {
      it('shows each announced worker with what it holds, and forgets one that stops or goes silent', async () => {
        const kv = await bucket();
        const q = await queue({ leaseMs: 5_000 });
        await q.enqueue({ id: 'held', payload: {} });
        let release!: () => void;
        const holding = new Promise<void>((r) => {
          release = r;
        });
        const busy = new Worker({
          queue: q,
          concurrency: 2,
          claimWaitMs: 50,
          handler: () => holding,
        }).start();
        const idle = new Worker({ queue: q, concurrency: 1, claimWaitMs: 50, handler: async () => {} });
        const registry = new WorkerRegistry(kv, 100);
        await eventually(() => busy.inFlight === 1);
        const a = registry.announce('node-a', busy);
        const b = registry.announce('host.example:1', idle);
        await eventually(async () => (await registry.list()).length === 2);
        await eventually(async () => (await registry.list())[1]?.claimed.length === 1);
        const [first, second] = await registry.list();
        expect(first).toMatchObject({ node: 'host.example:1', concurrency: 1, inFlight: 0, claimed: [] });
        expect(second).toMatchObject({ node: 'node-a', concurrency: 2, inFlight: 1, pid: process.pid });
        expect(second?.claimed[0]).toMatchObject({ taskId: 'held', deliveries: 1 });
        await b.stop();
        expect((await registry.list()).map((w) => w.node)).toEqual(['node-a']);
        release();
        await busy.stop();
        await a.stop();
        expect(await registry.list()).toEqual([]);
        // a worker killed without stopping leaves its last heartbeat behind, which ages out
        const c = registry.announce('node-c', idle);
        await eventually(async () => (await registry.list()).length === 1);
        const [live] = await registry.list();
        await kv.put('node-d', { ...live, node: 'node-d', heartbeatAt: Date.now() - 1_000 });
        expect((await registry.list()).map((w) => w.node)).toEqual(['node-c']);
        await c.stop();
      });
    });
  });
}
