import { describe, expect, it } from 'vitest';
import { parseGatewayConfig, type RouteConfig } from '../config.js';
import { ModelRouter } from './model-router.js';
import type { Routable, RouteInput } from './routable.js';

class Fake implements Routable {
  inFlight = 0;
  constructor(
    readonly name: string,
    readonly weight = 1,
    readonly unitPrice = 0,
    readonly capacity = 4,
  ) {}
  load() {
    return this.inFlight;
  }
  utilization() {
    return this.inFlight / this.capacity;
  }
}

function route(raw: Record<string, unknown>): RouteConfig {
  return parseGatewayConfig({
    backends: [{ name: 'x', url: 'http://127.0.0.1:1/v1', models: ['m'] }],
    routing: { default: raw },
  }).routing.default;
}

/** A seeded generator (mulberry32), so distributions are reproducible. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const input = (prompt = '', session?: string): RouteInput => ({ promptText: () => prompt, session });

function counts(router: ModelRouter<Fake>, members: Fake[], n: number, make = () => input()) {
  const tally = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const { backend } = router.pick(members, make(), 0);
    tally.set(backend.name, (tally.get(backend.name) ?? 0) + 1);
  }
  return tally;
}

describe('ModelRouter policies', () => {
  it('weighted random follows the weights', () => {
    const members = [new Fake('a', 1), new Fake('b', 3)];
    const tally = counts(
      new ModelRouter(members, route({ policy: 'weighted-random' }), seeded(1)),
      members,
      4000,
    );
    expect((tally.get('b') ?? 0) / 4000).toBeCloseTo(0.75, 1);
  });

  it('least-loaded takes the least utilised and shares ties', () => {
    const members = [new Fake('a'), new Fake('b'), new Fake('c')];
    const router = new ModelRouter(members, route({ policy: 'least-loaded' }));
    (members[0] as Fake).inFlight = 1;
    expect(new Set([1, 2, 3, 4].map(() => router.pick(members, input(), 0).backend.name))).toEqual(
      new Set(['b', 'c']),
    );
  });

  it('power-of-two never picks the busiest of three', () => {
    const members = [new Fake('idle'), new Fake('some'), new Fake('busy')];
    (members[1] as Fake).inFlight = 1;
    (members[2] as Fake).inFlight = 3;
    const tally = counts(
      new ModelRouter(members, route({ policy: 'power-of-two' }), seeded(7)),
      members,
      300,
    );
    expect(tally.get('busy')).toBeUndefined();
    expect(tally.get('idle')).toBeGreaterThan(tally.get('some') ?? 0);
  });

  it('cache-aware follows the longest prefix until that backend is overloaded', () => {
    const members = [new Fake('a'), new Fake('b')];
    const router = new ModelRouter(
      members,
      route({ policy: 'cache-aware', cache: { chunkChars: 16, balanceAbsolute: 1 } }),
    );
    const shared = 'system prompt, shared by many requests. '.repeat(4);
    const first = router.pick(members, input(`${shared}one`), 0).backend;
    expect(router.pick(members, input(`${shared}two`), 0)).toMatchObject({
      backend: first,
      reason: expect.stringMatching(/^prefix match/),
    });
    first.inFlight = 3;
    const moved = router.pick(members, input(`${shared}three`), 0);
    expect(moved.backend).not.toBe(first);
    expect(moved.reason).toMatch(/overloaded/);
  });

  it('keeps a session where it was unless that backend is overloaded', () => {
    const members = [new Fake('a'), new Fake('b')];
    const router = new ModelRouter(
      members,
      route({ policy: 'round-robin', affinity: {}, cache: { balanceAbsolute: 1 } }),
    );
    const home = router.pick(members, input('', 's1'), 0).backend;
    for (let i = 0; i < 3; i++) expect(router.pick(members, input('', 's1'), 0).backend).toBe(home);
    home.inFlight = 3;
    expect(router.pick(members, input('', 's1'), 0).backend).not.toBe(home);
  });

  it('spills over to the dearer tier only past the threshold, and names the cloud reference', () => {
    const local = new Fake('local', 1, 0, 2);
    const cloud = new Fake('cloud', 1, 5, 1);
    const dearer = new Fake('dearer', 1, 9, 1);
    const members = [local, cloud, dearer];
    const router = new ModelRouter(
      members,
      route({ policy: 'least-loaded', spillover: { loadThreshold: 0.5 } }),
    );
    expect(router.pick(members, input(), 0).backend).toBe(local);
    local.inFlight = 1;
    expect(router.pick(members, input(), 0)).toMatchObject({
      backend: cloud,
      reason: expect.stringMatching(/spill-over to tier 2/),
    });
    cloud.inFlight = 1;
    expect(router.pick(members, input(), 0).backend).toBe(dearer);
    // The dearest tier is the overflow: it takes everything once reached.
    dearer.inFlight = 5;
    expect(router.pick(members, input(), 0).backend).toBe(dearer);
    // With the overflow gone, what is left takes it.
    expect(router.pick([local, cloud], input(), 0).backend).toBe(local);
    expect(router.cloudReference()).toBe(cloud);
    expect(router.thresholdedMembers()).toEqual([local, cloud]);
  });
});
