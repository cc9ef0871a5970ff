import { describe, expect, it } from 'vitest';
import { CronSchedule, CronSyntaxError } from './cron.js';

const at = (iso: string) => new Date(iso);

describe('CronSchedule', () => {
  it('finds the next matching minute', () => {
    expect(new CronSchedule('*/15 * * * *').next(at('2026-11-26T10:07:30Z')).toISOString()).toBe(
      '2026-11-26T10:15:00.000Z',
    );
    expect(new CronSchedule('0 3 * * 1-5').next(at('2026-11-27T04:00:00Z')).toISOString()).toBe(
      '2026-11-30T03:00:00.000Z',
    );
    expect(new CronSchedule('30 8 1 * *').next(at('2026-11-26T00:00:00Z')).toISOString()).toBe(
      '2026-12-01T08:30:00.000Z',
    );
  });

  it('matches either day field when both are restricted, as cron does', () => {
    const s = new CronSchedule('0 0 1 * 0');
    expect(s.matches(at('2026-11-29T00:00:00Z'))).toBe(true);
    expect(s.matches(at('2026-12-01T00:00:00Z'))).toBe(true);
    expect(s.matches(at('2026-12-02T00:00:00Z'))).toBe(false);
  });

  it('refuses malformed expressions with the field at fault', () => {
    expect(() => new CronSchedule('* * *')).toThrow(CronSyntaxError);
    expect(() => new CronSchedule('61 * * * *')).toThrow(/minute field/);
    expect(() => new CronSchedule('*/0 * * * *')).toThrow(/bad step/);
  });
});
