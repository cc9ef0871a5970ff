import { SwarmError } from '../core/errors.js';

export class CronSyntaxError extends SwarmError {
  constructor(expression: string, detail: string) {
    super('invalid_cron', `cron expression "${expression}": ${detail}`, {
      hint: 'Use five fields, minute hour day-of-month month day-of-week, e.g. "*/15 * * * *" or "0 3 * * 1-5".',
    });
  }
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 6 },
] as const;

/** A five-field cron schedule (`*`, lists, ranges and steps), evaluated in UTC. */
export class CronSchedule {
  private readonly sets: Set<number>[];
  private readonly domAny: boolean;
  private readonly dowAny: boolean;

  constructor(readonly expression: string) {
    const parts = expression.trim().split(/\s+/);
    if (parts.length !== 5) throw new CronSyntaxError(expression, `expected 5 fields, found ${parts.length}`);
    this.sets = parts.map((part, i) => parseField(expression, part, FIELDS[i]!));
    this.domAny = parts[2] === '*';
    this.dowAny = parts[4] === '*';
  }

  matches(date: Date): boolean {
    const [minutes, hours, doms, months, dows] = this.sets as [
      Set<number>,
      Set<number>,
      Set<number>,
      Set<number>,
      Set<number>,
    ];
    if (
      !minutes.has(date.getUTCMinutes()) ||
      !hours.has(date.getUTCHours()) ||
      !months.has(date.getUTCMonth() + 1)
    ) {
      return false;
    }
    const dom = doms.has(date.getUTCDate());
    const dow = dows.has(date.getUTCDay());
    // classic cron: when both day fields are restricted, either may match
    if (!this.domAny && !this.dowAny) return dom || dow;
    return dom && dow;
  }

  /** The first matching minute strictly after `after`. */
  next(after: Date): Date {
    const t = new Date(after.getTime());
    t.setUTCSeconds(0, 0);
    for (let i = 0; i < 366 * 24 * 60; i++) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      if (this.matches(t)) return t;
    }
    throw new CronSyntaxError(this.expression, 'never matches within a year');
  }
}

function parseField(expression: string, part: string, field: (typeof FIELDS)[number]): Set<number> {
  const out = new Set<number>();
  for (const item of part.split(',')) {
    const [range, stepText] = item.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new CronSyntaxError(expression, `bad step "${stepText}" in the ${field.name} field`);
    let lo: number = field.min;
    let hi: number = field.max;
    if (range !== '*') {
      const [a, b] = range.split('-');
      lo = Number(a);
      hi = b === undefined ? (stepText === undefined ? lo : field.max) : Number(b);
    }
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < field.min || hi > field.max || lo > hi) {
      throw new CronSyntaxError(
        expression,
        `"${item}" is outside ${field.min}-${field.max} in the ${field.name} field`,
      );
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}
