import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation.js';
import { parseGatewayConfig } from './config.js';
import { Fleet, type Tried } from './fleet.js';

const input = { promptText: () => '', session: undefined };

function fleet(extra: Record<string, unknown>[] = [{}, {}], routing: Record<string, unknown> = {}) {
  const config = parseGatewayConfig({
    backends: extra.map((e, i) => ({
      name: `b${i + 1}`,
      url: `http://127.0.0.1:${9000 + i}/v1`,
      models: ['m'],
      ...e,
    })),
    routing: { default: { policy: 'round-robin', ...routing } },
    health: { failureThreshold: 1, cooldownMs: 100 },
  });
  return new Fleet(config, {});
}

describe('Fleet', () => {
  it('takes a slot on the chosen backend and gives it back', () => {
    const f = fleet([{ maxConcurrency: 1 }]);
    const tried: Tried = new Map();
    const first = f.choose('m', input, tried, 0);
    expect(first.kind).toBe('picked');
    expect(f.backends[0]?.inFlight).toBe(1);
    // Full now, and already tried: nothing to wait for.
    expect(f.choose('m', input, tried, 0).kind).toBe('exhausted');
    expect(f.choose('m', input, new Map(), 0)).toMatchObject({
      kind: 'wait',
      until: undefined,
      detail: 'b1 is full (1 of 1 in flight)',
    });
    f.release(f.backends[0] as never);
    expect(f.backends[0]?.inFlight).toBe(0);
  });

  it('retries a tried backend only once it was taken out and came back', () => {
    const f = fleet();
    const tried: Tried = new Map();
    const a = f.choose('m', input, tried, 0);
    const b = f.choose('m', input, tried, 0);
    expect(a.kind === 'picked' && b.kind === 'picked' && a.backend !== b.backend).toBe(true);
    expect(f.choose('m', input, tried, 0).kind).toBe('exhausted');
    if (a.kind !== 'picked') return;
    a.backend.health.recordFailure(0, 'HTTP 503');
    expect(f.choose('m', input, tried, 50)).toMatchObject({ kind: 'wait', until: 100 });
    expect(f.choose('m', input, tried, 100)).toMatchObject({ kind: 'picked', backend: a.backend });
  });

  it('wakes a waiting request when a slot frees, and on cancellation', async () => {
    const f = fleet([{ maxConcurrency: 1 }]);
    f.choose('m', input, new Map(), 0);
    const started = Date.now();
    const waiting = f.wait('m', started + 5_000, new Cancellation());
    setTimeout(() => f.release(f.backends[0] as never), 20);
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
    const cancel = new Cancellation();
    const cancelled = f.wait('m', Date.now() + 5_000, cancel);
    cancel.abort('gone');
    await cancelled;
  });

  it('insists on maxConcurrency for backends whose load spill-over compares with its threshold', () => {
    expect(() => fleet([{}, { price: { input: 1, output: 2 } }], { spillover: {} })).toThrow(
      /spill-over for "m" compares the load of b1.*maxConcurrency/,
    );
    expect(() =>
      fleet([{ maxConcurrency: 4 }, { price: { input: 1, output: 2 } }], { spillover: {} }),
    ).not.toThrow();
  });
});
