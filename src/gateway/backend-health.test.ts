import { describe, expect, it } from 'vitest';
import { BackendHealth } from './backend-health.js';

const policy = { failureThreshold: 3, cooldownMs: 100, maxCooldownMs: 350 };

describe('BackendHealth', () => {
  it('cools down at the threshold, doubling each cooldown in a row up to the maximum', () => {
    const h = new BackendHealth(policy);
    expect(h.recordFailure(0, 'HTTP 503')).toBe(false);
    expect(h.recordFailure(0, 'HTTP 503')).toBe(false);
    expect(h.recordFailure(0, 'HTTP 503')).toBe(true);
    expect(h.state(50)).toBe('cooling');
    expect(h.availableAt(50)).toBe(100);
    // On probation after a cooldown: one failure is enough, and the next cooldown is longer.
    expect(h.recordFailure(100, 'HTTP 503')).toBe(true);
    expect(h.availableAt(100)).toBe(300);
    expect(h.recordFailure(300, 'HTTP 503')).toBe(true);
    expect(h.availableAt(300)).toBe(650);
    expect(h.cooldowns).toBe(3);
    // A success ends probation.
    h.recordSuccess();
    expect(h.recordFailure(700, 'x')).toBe(false);
  });

  it('is down from a failed probe until a probe succeeds', () => {
    const h = new BackendHealth(policy);
    const epoch = h.epoch;
    expect(h.markDown('connection refused')).toBe(true);
    expect(h.markDown('connection refused')).toBe(false);
    expect(h.available(1e12)).toBe(false);
    expect(h.availableAt(0)).toBeUndefined();
    expect(h.probeSucceeded()).toBe(true);
    expect(h.state(0)).toBe('healthy');
    expect(h.epoch).toBe(epoch + 1);
    // Back, but on probation.
    expect(h.recordFailure(0, 'x')).toBe(true);
  });

  it('keeps a rate-limited backend out only for its retry-after', () => {
    const h = new BackendHealth(policy);
    h.rateLimited(0, 1_000, 'HTTP 429');
    expect(h.state(999)).toBe('rate-limited');
    expect(h.available(1_000)).toBe(true);
    expect(h.recordFailure(1_000, 'x')).toBe(false);
  });
});
