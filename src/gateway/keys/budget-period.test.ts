import { describe, expect, it } from 'vitest';
import { periodBounds } from './budget-period.js';

describe('periodBounds', () => {
  it('finds the UTC calendar period around a moment', () => {
    const at = Date.UTC(2026, 1, 28, 22, 30); // a Saturday
    expect(periodBounds('hour', at)).toEqual({
      start: Date.UTC(2026, 1, 28, 22),
      end: Date.UTC(2026, 1, 28, 23),
    });
    expect(periodBounds('day', at)).toEqual({ start: Date.UTC(2026, 1, 28), end: Date.UTC(2026, 2, 1) });
    expect(periodBounds('week', at)).toEqual({ start: Date.UTC(2026, 1, 23), end: Date.UTC(2026, 2, 2) });
    expect(periodBounds('month', at)).toEqual({ start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) });
    expect(periodBounds('total', at).end).toBe(Number.POSITIVE_INFINITY);
  });
});
