const WINDOW_MS = 60_000;

/**
 * A per-minute limit as a sliding window, approximated the usual way: the
 * count of the current fixed minute plus the previous minute's count
 * weighted by how much of it still overlaps the last 60 s. O(1) in time
 * and memory however busy the key is.
 */
export class RateWindow {
  private windowStart = 0;
  private current = 0;
  private previous = 0;

  constructor(readonly limit: number) {}

  /** Amount used in the last minute, as the window estimates it. */
  used(now: number): number {
    this.roll(now);
    const overlap = 1 - (now - this.windowStart) / WINDOW_MS;
    return this.previous * overlap + this.current;
  }

  /** Takes `amount` if it fits; otherwise returns the seconds until it would. */
  take(amount: number, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const used = this.used(now);
    if (used + amount <= this.limit) {
      this.current += amount;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: this.secondsUntilFits(amount, now) };
  }

  /** Corrects an earlier `take` once the real amount is known (it may be negative). */
  adjust(delta: number, now: number): void {
    this.roll(now);
    this.current = Math.max(0, this.current + delta);
  }

  private secondsUntilFits(amount: number, now: number): number {
    const elapsed = now - this.windowStart;
    const room = this.limit - this.current - amount;
    // The previous minute's share drains linearly until the window rolls over.
    if (room >= 0 && this.previous > 0) {
      const overlapNeeded = room / this.previous;
      const waitMs = (1 - overlapNeeded) * WINDOW_MS - elapsed;
      return Math.max(1, Math.ceil(waitMs / 1000));
    }
    // After the roll the current count becomes the previous one and drains in turn.
    const afterRoll = this.limit - amount;
    const drainMs =
      this.current > 0 && afterRoll < this.current
        ? (1 - Math.max(0, afterRoll) / this.current) * WINDOW_MS
        : 0;
    return Math.max(1, Math.ceil((WINDOW_MS - elapsed + drainMs) / 1000));
  }

  private roll(now: number): void {
    if (now - this.windowStart < WINDOW_MS) return;
    const windows = Math.floor((now - this.windowStart) / WINDOW_MS);
    this.previous = windows === 1 ? this.current : 0;
    this.current = 0;
    this.windowStart += windows * WINDOW_MS;
  }
}
