import type { BudgetPeriod } from '../config.js';

/** The UTC calendar period containing `now`: [start, end) in ms; `total` never ends. */
export function periodBounds(period: BudgetPeriod, now: number): { start: number; end: number } {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (period) {
    case 'hour': {
      const start = Date.UTC(y, m, day, d.getUTCHours());
      return { start, end: start + 3_600_000 };
    }
    case 'day': {
      const start = Date.UTC(y, m, day);
      return { start, end: start + 86_400_000 };
    }
    case 'week': {
      // ISO weeks start on Monday.
      const start = Date.UTC(y, m, day - ((d.getUTCDay() + 6) % 7));
      return { start, end: start + 7 * 86_400_000 };
    }
    case 'month':
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
    case 'total':
      return { start: 0, end: Number.POSITIVE_INFINITY };
  }
}
