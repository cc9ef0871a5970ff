import type { KeyConfig } from '../config.js';
import { KeyBudgetError, KeyRateLimitError } from '../errors.js';
import { periodBounds } from './budget-period.js';
import type { KeyState, KeyStateStore } from './key-state-store.js';
import { RateWindow } from './rate-window.js';

/** What one admitted request holds until it is settled. */
export interface Ticket {
  readonly keyId: string;
  readonly tenant: string;
  /** Tokens counted against the per-minute limit at admission. */
  readonly tokens: number;
  /** Worst-case USD held for it in this gateway's hold. */
  readonly reservedUsd: number;
  /** Start of the budget period it was admitted in. */
  readonly period: number;
  /** When it was admitted, so the token window corrects the minute it was counted in. */
  readonly admittedAt: number;
  settled: boolean;
}

export interface AccountSnapshot {
  id: string;
  tenant: string;
  requestsLastMinute: number | undefined;
  tokensLastMinute: number | undefined;
  budget:
    | { usd: number; period: string; spentUsd: number; reservedUsd: number; renewsAt: string | undefined }
    | undefined;
}

// Sums of USD amounts drift by float rounding; a reservation that fits to within this fits.
const EPSILON_USD = 1e-12;

/**
 * One virtual key's limits. A request is admitted only if its request, its
 * worst-case tokens and its worst-case cost all fit; the cost is held in the
 * key's stored state, so however many requests arrive at once, at however
 * many gateways sharing the store, the spend and the holds together never
 * pass the budget. Settling replaces the hold with what the request really
 * used. A key with no limits never touches the store.
 */
export class KeyAccount {
  constructor(
    readonly config: KeyConfig,
    private readonly store: KeyStateStore | undefined,
    /** How long a hold outlives this gateway's last admission or settlement: longer than any request. */
    private readonly holdMs: number,
  ) {}

  /** Whether requests need a bounded max_tokens for the limits to hold. */
  get metered(): boolean {
    return this.config.budget !== undefined || this.config.tpm !== undefined;
  }

  get limited(): boolean {
    return this.metered || this.config.rpm !== undefined;
  }

  async admit(tokens: number, worstUsd: number, now: number): Promise<Ticket> {
    const { id, tenant, tpm } = this.config;
    if (tpm !== undefined && tokens > tpm) {
      throw new KeyRateLimitError(
        id,
        `this request may use up to ${tokens} tokens, more than the key's ${tpm} per minute; lower max_tokens or shorten the prompt`,
        60,
      );
    }
    const store = this.store;
    if (!store || !this.limited) {
      return { keyId: id, tenant, tokens, reservedUsd: 0, period: 0, admittedAt: now, settled: false };
    }
    return store.apply(id, (state) => this.admitTo(state, now, tokens, worstUsd, store.holder));
  }

  /** Replaces the ticket's hold with the real usage; idempotent. */
  async settle(ticket: Ticket, usedTokens: number, usedUsd: number, now: number): Promise<void> {
    if (ticket.settled) return;
    ticket.settled = true;
    const store = this.store;
    if (!store || !this.limited) return;
    await store.apply(this.config.id, (state) => {
      this.roll(state, now);
      if (this.config.tpm !== undefined)
        new RateWindow(this.config.tpm, state.tpm).adjust(usedTokens - ticket.tokens, now, ticket.admittedAt);
      const hold = state.holds[store.holder];
      if (hold) {
        hold.usd -= ticket.reservedUsd;
        hold.until = now + this.holdMs;
        if (hold.usd <= EPSILON_USD) delete state.holds[store.holder];
      }
      // Spend of a period that has ended belonged to that period, which no longer limits anything.
      if (ticket.period === state.period) state.spentUsd += usedUsd;
    });
  }

  snapshot(now: number): AccountSnapshot {
    const { budget, rpm, tpm } = this.config;
    const state = structuredClone(this.store?.cached(this.config.id));
    if (state) this.roll(state, now);
    const end = budget ? periodBounds(budget.period, now).end : 0;
    return {
      id: this.config.id,
      tenant: this.config.tenant,
      requestsLastMinute:
        rpm === undefined ? undefined : state ? new RateWindow(rpm, state.rpm).used(now) : 0,
      tokensLastMinute: tpm === undefined ? undefined : state ? new RateWindow(tpm, state.tpm).used(now) : 0,
      budget: budget
        ? {
            usd: budget.usd,
            period: budget.period,
            spentUsd: state?.spentUsd ?? 0,
            reservedUsd: state ? held(state) : 0,
            renewsAt: Number.isFinite(end) ? new Date(end).toISOString() : undefined,
          }
        : undefined,
    };
  }

  /** Every check first, then every change: a refused request leaves the state as it was. */
  private admitTo(state: KeyState, now: number, tokens: number, worstUsd: number, holder: string): Ticket {
    const { id, tenant, rpm, tpm, budget } = this.config;
    this.roll(state, now);
    const requests = rpm === undefined ? undefined : new RateWindow(rpm, state.rpm);
    const tokenWindow = tpm === undefined ? undefined : new RateWindow(tpm, state.tpm);
    const r = requests?.check(1, now);
    if (r && !r.ok) throw new KeyRateLimitError(id, `${rpm} requests per minute`, r.retryAfterSeconds);
    const t = tokenWindow?.check(tokens, now);
    if (t && !t.ok) {
      throw new KeyRateLimitError(
        id,
        `${tpm} tokens per minute (this request may use up to ${tokens})`,
        t.retryAfterSeconds,
      );
    }
    if (budget) {
      const reserved = held(state);
      if (state.spentUsd + reserved + worstUsd > budget.usd + EPSILON_USD)
        throw this.budgetRefusal(state, reserved, worstUsd, now);
      const hold = state.holds[holder] ?? { usd: 0, until: 0 };
      hold.usd += worstUsd;
      hold.until = now + this.holdMs;
      state.holds[holder] = hold;
    }
    requests?.take(1, now);
    tokenWindow?.take(tokens, now);
    return {
      keyId: id,
      tenant,
      tokens,
      reservedUsd: budget ? worstUsd : 0,
      period: state.period,
      admittedAt: now,
      settled: false,
    };
  }

  /** Starts a new budget period when the stored one has ended, and drops lapsed holds. */
  private roll(state: KeyState, now: number): void {
    const budget = this.config.budget;
    if (budget) {
      const start = periodBounds(budget.period, now).start;
      if (state.period !== start) {
        state.period = start;
        state.spentUsd = 0;
      }
    }
    for (const [holder, hold] of Object.entries(state.holds))
      if (hold.until <= now) delete state.holds[holder];
  }

  private budgetRefusal(state: KeyState, reserved: number, worstUsd: number, now: number): KeyBudgetError {
    const budget = this.config.budget as NonNullable<KeyConfig['budget']>;
    const end = periodBounds(budget.period, now).end;
    const renews = Number.isFinite(end) ? (end - now) / 1000 : 86_400;
    if (worstUsd > budget.usd) {
      return new KeyBudgetError(
        this.config.id,
        `this request may cost up to $${worstUsd.toFixed(6)}, more than the whole budget of $${budget.usd} per ${budget.period}; lower max_tokens`,
        renews,
      );
    }
    // Requests in flight usually cost less than they reserved; once they settle there may be room.
    return new KeyBudgetError(
      this.config.id,
      `this request may cost up to $${worstUsd.toFixed(6)}; $${state.spentUsd.toFixed(6)} spent and $${reserved.toFixed(6)} reserved of $${budget.usd} (budget $${budget.usd} per ${budget.period}${Number.isFinite(end) ? '' : ', which does not renew'})`,
      reserved > 0 ? 1 : renews,
    );
  }
}

/** USD held by every gateway for requests still running. */
function held(state: KeyState): number {
  let usd = 0;
  for (const hold of Object.values(state.holds)) usd += hold.usd;
  return usd;
}
