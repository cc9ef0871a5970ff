import { afterEach, describe, expect, it } from 'vitest';
import type { Backend, TaskQueue } from '../../src/engine/backend.js';
import { LeaseLostError } from '../../src/engine/errors.js';
import { NatsBackend } from '../../src/engine/nats/nats-backend.js';
import { PrivateNatsServer } from '../support/nats-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Faults on a private nats-server (never the shared one on 4222): the server
 * killed with SIGKILL and restarted on the same store under load, and a
 * worker that dies holding a task.
 */
describe('NATS backend under faults', () => {
  let server: PrivateNatsServer | undefined;
  const backends: Backend[] = [];
  const connect = async (name: string) => {
    const backend = await NatsBackend.connect(server!.url, { name });
    backends.push(backend);
    return backend;
  };
  afterEach(async () => {
    for (const backend of backends.splice(0)) await backend.close();
    await server?.dispose();
    server = undefined;
  });

  it('loses no acknowledged enqueue when the server is killed and restarted while work flows', async () => {
    server = await PrivateNatsServer.start();
    const total = 300;
    const producerQueue = await (await connect('producer')).queue('work', { leaseMs: 1500 });
    const workerQueues = [
      await (await connect('worker-1')).queue('work'),
      await (await connect('worker-2')).queue('work'),
    ];
    const enqueued = new Set<string>();
    const acked = new Map<string, number>();
    let producing = true;
    let failedCalls = 0;
    let ackedBeforeKill = 0;

    const producer = async () => {
      for (let i = 0; i < total; i++) {
        const id = `task-${i}`;
        // a producer retries what failed; the de-duplication id makes a retry of a stored task a no-op
        for (;;) {
          try {
            await producerQueue.enqueue({ id, payload: i });
            enqueued.add(id);
            break;
          } catch {
            failedCalls++;
            await sleep(50);
          }
        }
        await sleep(2);
      }
      producing = false;
    };
    // workers slower than the producer, so the kill finds tasks both waiting and in hand
    const worker = async (queue: TaskQueue, until: number) => {
      while ((producing || acked.size < enqueued.size) && Date.now() < until) {
        try {
          const task = await queue.claim({ waitMs: 200 });
          if (!task) continue;
          await sleep(10);
          await task.ack();
          acked.set(task.id, (acked.get(task.id) ?? 0) + 1);
        } catch {
          // a claim or ack cut off by the outage: the task comes back after its lease
          failedCalls++;
          await sleep(50);
        }
      }
    };
    const chaos = async () => {
      while (enqueued.size < total / 3) await sleep(5);
      ackedBeforeKill = acked.size;
      await server!.kill();
      await sleep(400);
      await server!.restart();
    };

    const until = Date.now() + 25_000;
    await Promise.all([producer(), chaos(), ...workerQueues.map((q) => worker(q, until))]);

    const lost = [...enqueued].filter((id) => !acked.has(id));
    expect(enqueued.size).toBe(total);
    expect(lost).toEqual([]);
    // the outage was real: work was still waiting at the kill, some calls failed, and the same clients carried on
    expect(ackedBeforeKill).toBeLessThan(total / 3);
    expect(failedCalls).toBeGreaterThan(0);
    expect(await workerQueues[0]!.stats()).toEqual({ ready: 0, leased: 0, deadLetters: 0 });
  });

  it('hands the task of a worker that died holding it to another worker after the lease', async () => {
    server = await PrivateNatsServer.start();
    const dying = await connect('dying-worker');
    const healthy = await connect('healthy-worker');
    const dyingQueue = await dying.queue('jobs', { leaseMs: 600 });
    const healthyQueue = await healthy.queue('jobs');
    await healthyQueue.enqueue({ id: 'job-1', payload: { step: 1 } });

    const held = await dyingQueue.claim({ waitMs: 1000 });
    expect(held?.id).toBe('job-1');
    const diedAt = Date.now();
    await dying.close();

    expect(await healthyQueue.claim()).toBeUndefined();
    const task = await healthyQueue.claim({ waitMs: 5000 });
    expect(task).toMatchObject({ id: 'job-1', payload: { step: 1 }, deliveries: 2 });
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(400);
    await task!.ack();
    expect(await healthyQueue.stats()).toEqual({ ready: 0, leased: 0, deadLetters: 0 });
  });

  it('refuses the ack of a holder whose lease ran out while the server was down', async () => {
    server = await PrivateNatsServer.start();
    const worker = await connect('worker');
    const other = await connect('other-worker');
    const queue = await worker.queue('jobs', { leaseMs: 500 });
    const otherQueue = await other.queue('jobs');
    await queue.enqueue({ id: 'job', payload: null });
    const stale = await queue.claim({ waitMs: 1000 });

    await server.kill();
    await sleep(700);
    await server.restart();

    const fresh = await otherQueue.claim({ waitMs: 5000 });
    expect(fresh?.id).toBe('job');
    await expect(stale!.ack()).rejects.toBeInstanceOf(LeaseLostError);
    await fresh!.ack();
  });
});
