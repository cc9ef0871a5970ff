const WINDOW_MS = 60_000;

/** A per-minute window as stored: the current fixed minute's start and count, and the previous minute's count. */
export interface WindowState {
  start: number;
  current: number;
  previous: number;
}

export function emptyWindow(): WindowState {
  return { start: 0, current: 0, previous: 0 };
}

/**
 * A per-minute limit as a sliding window, approximated the usual way: the
 * count of the current fixed minute plus the previous minute's count
 * weighted by how much of it still overlaps the last 60 s. O(1) in time
 * and memory however busy the key is. It works on a plain state object
 * (mutated in place) so the state can be stored and shared between gateways.
 */
export class RateWindow {
  constructor(
    readonly limit: number,
    private readonly state: WindowState = emptyWindow(),
  ) {}

  /** Amount used in the last minute, as the window estimates it. */
  used(now: number): number {
    this.roll(now);
    const overlap = 1 - (now - this.state.start) / WINDOW_MS;
    return this.state.previous * overlap + this.state.current;
  }

  /** Whether `amount` fits now; otherwise the seconds until it would. Changes nothing. */
  check(amount: number, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.used(now) + amount <= this.limit) return { ok: true };
    return { ok: false, retryAfterSeconds: this.secondsUntilFits(amount, now) };
  }

  /** Takes `amount` if it fits; otherwise returns the seconds until it would. */
  take(amount: number, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const fits = this.check(amount, now);
    if (fits.ok) this.state.current += amount;
    return fits;
  }

  /**
   * Corrects an earlier `take` made at `takenAt` once the real amount is known (it may be negative).
   * The correction goes to the minute the take was counted in, which may have rolled into the
   * previous one since; a take older than that no longer counts anyway.
   */
  adjust(delta: number, now: number, takenAt = now): void {
    this.roll(now);
    const s = this.state;
    if (takenAt >= s.start) s.current = Math.max(0, s.current + delta);
    else if (takenAt >= s.start - WINDOW_MS) s.previous = Math.max(0, s.previous + delta);
  }

  private secondsUntilFits(amount: number, now: number): number {
    const { start, current, previous } = this.state;
    const elapsed = now - start;
    const room = this.limit - current - amount;
    // The previous minute's share drains linearly until the window rolls over.
    if (room >= 0 && previous > 0) {
      const overlapNeeded = room / previous;
      const waitMs = (1 - overlapNeeded) * WINDOW_MS - elapsed;
      return Math.max(1, Math.ceil(waitMs / 1000));
    }
    // After the roll the current count becomes the previous one and drains in turn.
    const afterRoll = this.limit - amount;
    const drainMs =
      current > 0 && afterRoll < current ? (1 - Math.max(0, afterRoll) / current) * WINDOW_MS : 0;
    return Math.max(1, Math.ceil((WINDOW_MS - elapsed + drainMs) / 1000));
  }

  private roll(now: number): void {
    const s = this.state;
    if (now - s.start < WINDOW_MS) return;
    const windows = Math.floor((now - s.start) / WINDOW_MS);
    s.previous = windows === 1 ? s.current : 0;
    s.current = 0;
    s.start += windows * WINDOW_MS;
  }
}
