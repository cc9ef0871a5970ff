import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend.js';
import { EngineUnavailableError } from '../../src/engine/errors.js';
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
  const opened: Backend[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  const backend = async () => {
    const b = await open();
    opened.push(b);
    return b;
  };
  const unique = () => `n${randomUUID().slice(0, 8)}`;
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
    const b = await backend();
    const name = unique();
    const first = await b.queue(name, { leaseMs: 1500, dedupWindowMs: 5000 });
    cleanups.push(() => first.destroy());
    expect((await b.queue(name)).options).toMatchObject({ leaseMs: 1500, dedupWindowMs: 5000 });
    expect((await b.queue(name, { leaseMs: 2500 })).options).toMatchObject({
      leaseMs: 2500,
      dedupWindowMs: 5000,
    });
  });

  it('dead-letters a message on its stream that Swarm did not publish', async () => {
    const b = await backend();
    const q = await b.queue(unique());
    cleanups.push(() => q.destroy());
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

  it('refuses a second answer from a holder whose claim already ended', async () => {
    const b = await backend();
    const q = await b.queue(unique());
    cleanups.push(() => q.destroy());
    await q.enqueue({ id: 'once', payload: null });
    const task = await q.claim({ waitMs: 1000 });
    await task!.ack();
    await expect(task!.ack()).rejects.toThrow(/lease/);
    expect((await q.stats()).ready + (await q.stats()).leased).toBe(0);
  });
});
