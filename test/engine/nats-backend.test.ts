import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, ClaimedTask, QueueOptions, TaskQueue } from '../../src/engine/backend.js';
import { EngineUnavailableError, LeaseLostError } from '../../src/engine/errors.js';
import { NatsBackend } from '../../src/engine/nats/nats-backend.js';
import { queueSubject } from '../../src/engine/nats/nats-names.js';
import { openBackend } from '../../src/engine/open-backend.js';
import { backendConformance } from '../support/backend-conformance.js';

/** The shared server every session and CI start; these tests never skip when it is missing, they fail. */
const NATS_URL = process.env.SWARM_NATS_URL ?? 'nats://127.0.0.1:4222';

async function open(): Promise<Backend> {
  try {
    return await NatsBackend.connect(NATS_URL, { name: 'swarm-conformance' });
  } catch (error) {
    throw new Error(
      `the NATS tests need nats-server with JetStream at ${NATS_URL} (start it with \`nats-server -js\` or set SWARM_NATS_URL): ${(error as Error).message}`,
    );
  }
}

backendConformance('nats', open);

describe('NATS backend', () => {
  let shared: Backend;
  const opened: Backend[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  const backend = async () => {
    const b = await open();
    opened.push(b);
    return b;
  };
  const unique = () => `n${randomUUID().slice(0, 8)}`;
  const queue = async (options: QueueOptions = {}) => {
    const q = await shared.queue(unique(), options);
    cleanups.push(() => q.destroy());
    return q;
  };
  /** The first holder claims, its lease runs out, a second holder claims the same task. */
  const handOver = async (q: TaskQueue) => {
    await q.enqueue({ id: 'contested', payload: null });
    const first = await q.claim({ waitMs: 1000 });
    let second: ClaimedTask | undefined;
    const until = Date.now() + 3000;
    while (!second && Date.now() < until) second = await q.claim({ waitMs: 100 });
    // 2, or more when an expired claim's pull received the task first (the server counts that delivery)
    expect(second?.deliveries).toBeGreaterThanOrEqual(2);
    return { first: first!, second: second! };
  };
  beforeAll(async () => {
    shared = await backend();
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    for (const b of opened) await b.close();
  });

  it('fails with EngineUnavailableError when no server listens', async () => {
    const error = await NatsBackend.connect('nats://127.0.0.1:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toContain('nats://127.0.0.1:1');
  });

  it('is what openBackend returns for a nats:// URL, with credentials kept out of its location', async () => {
    const url = NATS_URL.replace('nats://', 'nats://someone:secret@');
    const b = await openBackend(url, { name: 'swarm-open' });
    opened.push(b);
    expect(b.kind).toBe('nats');
    expect(b.location).not.toContain('secret');
  });

  it('applies queue options given explicitly and adopts the server values of those left out', async () => {
    const name = unique();
    const first = await shared.queue(name, { leaseMs: 1500, dedupWindowMs: 5000 });
    cleanups.push(() => first.destroy());
    expect((await shared.queue(name)).options).toMatchObject({ leaseMs: 1500, dedupWindowMs: 5000 });
    expect((await shared.queue(name, { leaseMs: 2500 })).options).toMatchObject({
      leaseMs: 2500,
      dedupWindowMs: 5000,
    });
  });

  it('dead-letters a message on its stream that Swarm did not publish', async () => {
    const q = await queue();
    const raw = await connect({ servers: NATS_URL });
    await raw.request(queueSubject(q.name), 'not json');
    await raw.close();
    await q.enqueue({ id: 'fine', payload: 1 });
    const task = await q.claim({ waitMs: 1000 });
    expect(task?.id).toBe('fine');
    await task!.ack();
    const [dead] = await q.deadLetters();
    expect(dead).toMatchObject({ payload: 'not json', deliveries: 1 });
    expect(dead!.errors[0]).toMatch(/not JSON/);
  });

  it("refuses a late nak from the old holder and keeps it out of the new holder's errors", async () => {
    const q = await queue({ leaseMs: 300, maxDeliveries: 5 });
    const { first, second } = await handOver(q);
    await expect(first.nak({ error: 'stale failure' })).rejects.toBeInstanceOf(LeaseLostError);
    await second.nak({ error: 'real failure' });
    const third = await q.claim({ waitMs: 2000 });
    await third!.deadLetter('giving up');
    expect((await q.deadLetters())[0]?.errors).toEqual(['real failure', 'giving up']);
  });

  it('refuses the old holder after the new holder already acked and the task left the stream', async () => {
    const q = await queue({ leaseMs: 300 });
    const { first, second } = await handOver(q);
    await second.ack();
    await expect(first.ack()).rejects.toBeInstanceOf(LeaseLostError);
    await expect(first.extend()).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('lets a holder finish after its lease ran out when no one else claimed the task', async () => {
    const q = await queue({ leaseMs: 300 });
    await q.enqueue({ id: 'late', payload: null });
    const task = await q.claim({ waitMs: 1000 });
    await new Promise((r) => setTimeout(r, 450));
    await task!.ack();
    expect(await q.claim({ waitMs: 500 })).toBeUndefined();
  });

  it('hands back at once a task that reaches a claim after it was aborted', async () => {
    const q = await queue();
    const controller = new AbortController();
    const claiming = q.claim({ waitMs: 5000, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    expect(await claiming).toBeUndefined();
    // the aborted claim's pull is still open on the server, which delivers this task to it
    await q.enqueue({ id: 'orphan', payload: null });
    const task = await q.claim({ waitMs: 2000 });
    expect(task?.id).toBe('orphan');
    await task!.ack();
  });

  it('counts a task handed back with a delay as ready, not leased', async () => {
    const q = await queue();
    await q.enqueue({ id: 'later', payload: null });
    const task = await q.claim({ waitMs: 1000 });
    await task!.nak({ delayMs: 10_000, error: 'not yet' });
    expect(await q.stats()).toEqual({ ready: 1, leased: 0, deadLetters: 0 });
  });

  it('reports EngineUnavailableError once the connection is closed', async () => {
    const name = unique();
    const b = await open();
    const kv = await b.kv(name);
    cleanups.push(async () => (await shared.kv(name)).destroy());
    await b.close();
    await expect(kv.get('any')).rejects.toBeInstanceOf(EngineUnavailableError);
  });

  it('refuses a second answer from a holder whose claim already ended', async () => {
    const q = await queue();
    await q.enqueue({ id: 'once', payload: null });
    const task = await q.claim({ waitMs: 1000 });
    await task!.ack();
    await expect(task!.ack()).rejects.toThrow(/lease/);
    expect(await q.stats()).toEqual({ ready: 0, leased: 0, deadLetters: 0 });
  });
});
