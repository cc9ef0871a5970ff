import { describe, expect, it } from 'vitest';
import { RateWindow } from './rate-window.js';

const MINUTE = 60_000;

describe('RateWindow', () => {
  it('admits up to the limit per minute and says when the next one fits', () => {
    const w = new RateWindow(3);
    const t0 = 10 * MINUTE;
    for (let i = 0; i < 3; i++) expect(w.take(1, t0).ok).toBe(true);
    const refused = w.take(1, t0);
    expect(refused.ok).toBe(false);
    const wait = refused.ok ? 0 : refused.retryAfterSeconds;
    expect(wait).toBeGreaterThan(0);
    // Refused a moment before the promised time, admitted at it.
    expect(w.take(1, t0 + wait * 1000 - 1_500).ok).toBe(false);
    expect(w.take(1, t0 + wait * 1000).ok).toBe(true);
  });

  it('weights the previous minute by its overlap with the last 60 s', () => {
    const w = new RateWindow(10);
    const t0 = 20 * MINUTE;
    expect(w.take(10, t0).ok).toBe(true);
    expect(w.used(t0 + MINUTE)).toBeCloseTo(10, 10);
    expect(w.used(t0 + 1.5 * MINUTE)).toBeCloseTo(5, 10);
    expect(w.used(t0 + 2 * MINUTE)).toBe(0);
  });

  it('takes corrections once the real amount is known', () => {
    const w = new RateWindow(100);
    const t0 = 30 * MINUTE;
    expect(w.take(90, t0).ok).toBe(true);
    expect(w.take(20, t0).ok).toBe(false);
    w.adjust(-80, t0);
    expect(w.take(20, t0).ok).toBe(true);
    expect(w.used(t0)).toBe(30);
  });

  it('corrects the minute a take was counted in, even after the window rolled', () => {
    const w = new RateWindow(100);
    const t0 = 40 * MINUTE + 59_000;
    expect(w.take(90, t0).ok).toBe(true);
    // Settled two seconds later, in the next minute: the 90 now sit in the previous minute's count.
    w.adjust(-85, t0 + 2_000, t0);
    expect(w.used(t0 + 2_000)).toBeLessThan(6);
    expect(w.take(90, t0 + 2_000).ok).toBe(true);
  });
});
