/** A cumulative Prometheus histogram over fixed bucket bounds (the +Inf bucket is the count). */
export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  /** Records `value` `times` times (one observation per generated token, say). */
  observe(value: number, times = 1): void {
    if (times <= 0) return;
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= (this.bounds[i] as number)) this.counts[i] = (this.counts[i] as number) + times;
    }
    this.sum += value * times;
    this.count += times;
  }
}
