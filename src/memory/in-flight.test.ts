import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.js';

const never = new AbortController().signal;

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  it('runs 50 identical concurrent calls once and gives every caller the result', async () => {
    const inFlight = new InFlight<string>();
    let runs = 0;
    const gate = deferred<string>();
    const calls = Array.from({ length: 50 }, () =>
      inFlight.run('k', never, () => {
        runs++;
        return gate.promise;
      }),
    );
    gate.resolve('answer');
    expect(await Promise.all(calls)).toEqual(Array(50).fill('answer'));
    expect(runs).toBe(1);
    expect(inFlight.size).toBe(0);
  });

  it('gives every waiter the error of the shared call, and runs anew afterwards', async () => {
    const inFlight = new InFlight<string>();
    const gate = deferred<string>();
    const calls = Array.from({ length: 5 }, () => inFlight.run('k', never, () => gate.promise));
    gate.reject(new Error('upstream 500'));
    const settled = await Promise.allSettled(calls);
    expect(
      settled.every((s) => s.status === 'rejected' && (s.reason as Error).message === 'upstream 500'),
    ).toBe(true);
    expect(await inFlight.run('k', never, async () => 'fresh')).toBe('fresh');
  });

  it('lets a waiter give up without cancelling the call for the others', async () => {
    const inFlight = new InFlight<string>();
    const gate = deferred<string>();
    const leader = inFlight.run('k', never, () => gate.promise);
    const quitter = new AbortController();
    const waiter = inFlight.run('k', quitter.signal, () => Promise.resolve('never runs'));
    quitter.abort(new Error('user pressed Ctrl-C'));
    await expect(waiter).rejects.toThrow('user pressed Ctrl-C');
    gate.resolve('answer');
    expect(await leader).toBe('answer');
  });

  it('does not hand the leader’s cancellation to waiters: one of them runs the call again', async () => {
    const inFlight = new InFlight<string>();
    const leaderSignal = new AbortController();
    let runs = 0;
    const leader = inFlight.run('k', leaderSignal.signal, async () => {
      runs++;
      await new Promise((_, reject) =>
        leaderSignal.signal.addEventListener('abort', () => reject(leaderSignal.signal.reason)),
      );
      return 'unreachable';
    });
    const waiters = Array.from({ length: 3 }, () =>
      inFlight.run('k', never, async () => {
        runs++;
        return 'second try';
      }),
    );
    leaderSignal.abort(new Error('leader cancelled'));
    await expect(leader).rejects.toThrow('leader cancelled');
    expect(await Promise.all(waiters)).toEqual(['second try', 'second try', 'second try']);
    expect(runs).toBe(2);
  });
});
