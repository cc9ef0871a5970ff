export interface HealthPolicy {
  failureThreshold: number;
  cooldownMs: number;
  maxCooldownMs: number;
}

export type HealthState = 'healthy' | 'cooling' | 'down' | 'rate-limited';

/**
 * Whether a backend may take requests. Failed requests count up; at the
 * threshold the backend cools down for `cooldownMs`, doubling on each
 * cooldown in a row up to `maxCooldownMs`. After a cooldown the backend is on
 * probation: its next request decides, a success clears everything and a
 * failure cools it again, for longer. A failed active probe or a refused
 * connection marks it down until a probe succeeds. A 429 keeps it out only
 * until its retry-after.
 */
export class BackendHealth {
  private failures = 0;
  /** Cooldowns in a row without a success in between. */
  private level = 0;
  private coolingUntil = 0;
  private rateLimitedUntil = 0;
  private down = false;
  private lastReason = '';
  cooldowns = 0;
  /** Counts the times it was taken out; a request may try a backend again only after it came back. */
  epoch = 0;

  constructor(private readonly policy: HealthPolicy) {}

  available(now: number): boolean {
    return !this.down && now >= this.coolingUntil && now >= this.rateLimitedUntil;
  }

  /** When it may take requests again, or undefined while it is down until a probe says otherwise. */
  availableAt(now: number): number | undefined {
    if (this.down) return undefined;
    return Math.max(now, this.coolingUntil, this.rateLimitedUntil);
  }

  state(now: number): HealthState {
    if (this.down) return 'down';
    if (now < this.coolingUntil) return 'cooling';
    if (now < this.rateLimitedUntil) return 'rate-limited';
    return 'healthy';
  }

  reason(): string {
    return this.lastReason;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.level = 0;
  }

  /** Returns true when this failure started a cooldown. */
  recordFailure(now: number, reason: string): boolean {
    this.failures += 1;
    this.lastReason = reason;
    if (this.failures < this.policy.failureThreshold && this.level === 0) return false;
    const duration = Math.min(this.policy.maxCooldownMs, this.policy.cooldownMs * 2 ** this.level);
    this.level += 1;
    this.failures = 0;
    this.coolingUntil = now + duration;
    this.cooldowns += 1;
    this.epoch += 1;
    return true;
  }

  rateLimited(now: number, ms: number, reason: string): void {
    this.lastReason = reason;
    this.rateLimitedUntil = Math.max(this.rateLimitedUntil, now + ms);
    this.epoch += 1;
  }

  /** Out until a probe succeeds: a failed probe, or a refused connection. Returns true when this took it out. */
  markDown(reason: string): boolean {
    this.lastReason = reason;
    if (this.down) return false;
    this.down = true;
    this.cooldowns += 1;
    this.epoch += 1;
    return true;
  }

  /** Returns true when the probe brought the backend back. */
  probeSucceeded(): boolean {
    if (!this.down) return false;
    this.down = false;
    // Back from the dead, but the next request still decides whether it stays.
    this.level = Math.max(this.level, 1);
    return true;
  }
}
