interface Streak {
  signature: string;
  count: number;
}

/**
 * Counts consecutive identical failures per lineage. Identical means the same
 * error class and message once ids and numbers are masked, so "timeout after
 * 1003 ms" and "timeout after 998 ms" count as the same failure.
 */
export class CircuitBreaker {
  private readonly streaks = new Map<string, Streak>();

  constructor(readonly threshold = 3) {}

  static signature(error: unknown): string {
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof Error ? error.message : String(error);
    return `${name}: ${message
      .replace(/[0-9a-f]{8,}/gi, '#')
      .replace(/\d+/g, 'N')
      .slice(0, 300)}`;
  }

  recordFailure(key: string, error: unknown): void {
    const signature = CircuitBreaker.signature(error);
    const streak = this.streaks.get(key);
    if (streak && streak.signature === signature) streak.count++;
    else this.streaks.set(key, { signature, count: 1 });
  }

  recordSuccess(key: string): void {
    this.streaks.delete(key);
  }

  /** The repeated failure when the breaker is open for this lineage. */
  open(key: string): Streak | undefined {
    const streak = this.streaks.get(key);
    return streak && streak.count >= this.threshold ? streak : undefined;
  }
}
