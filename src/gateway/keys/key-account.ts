import { BudgetLedger, type Reservation } from '../../core/budget-ledger.js';
import type { KeyConfig } from '../config.js';
import { KeyBudgetError, KeyRateLimitError } from '../errors.js';
import { periodBounds } from './budget-period.js';
import { RateWindow } from './rate-window.js';

/** What one admitted request holds until it is settled. */
export interface Ticket {
  readonly keyId: string;
  readonly tenant: string;
  /** Tokens counted against the per-minute limit at admission. */
  readonly tokens: number;
  readonly reservation: Reservation | undefined;
  readonly ledger: BudgetLedger | undefined;
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

/**
 * One virtual key's limits. A request is admitted only if its request, its
 * worst-case tokens and its worst-case cost all fit; the cost is reserved
 * in the period's ledger, so however many requests arrive at once the
 * reservations alone can never pass the budget. Settling replaces the
 * reservation with what the request really used.
 */
export class KeyAccount {
  private readonly rpm: RateWindow | undefined;
  private readonly tpm: RateWindow | undefined;
  private period: { ledger: BudgetLedger; end: number } | undefined;

  constructor(readonly config: KeyConfig) {
    this.rpm = config.rpm === undefined ? undefined : new RateWindow(config.rpm);
    this.tpm = config.tpm === undefined ? undefined : new RateWindow(config.tpm);
  }

  /** Whether requests need a bounded max_tokens for the limits to hold. */
  get metered(): boolean {
    return this.config.budget !== undefined || this.config.tpm !== undefined;
  }

  admit(tokens: number, worstUsd: number, now: number): Ticket {
    const { id } = this.config;
    if (this.tpm && tokens > this.tpm.limit) {
      throw new KeyRateLimitError(
        id,
        `this request may use up to ${tokens} tokens, more than the key's ${this.tpm.limit} per minute; lower max_tokens or shorten the prompt`,
        60,
      );
    }
    if (this.rpm) {
      const taken = this.rpm.take(1, now);
      if (!taken.ok) {
        throw new KeyRateLimitError(id, `${this.rpm.limit} requests per minute`, taken.retryAfterSeconds);
      }
    }
    if (this.tpm) {
      const taken = this.tpm.take(tokens, now);
      if (!taken.ok) {
        this.rpm?.adjust(-1, now);
        throw new KeyRateLimitError(
          id,
          `${this.tpm.limit} tokens per minute (this request may use up to ${tokens})`,
          taken.retryAfterSeconds,
        );
      }
    }
    let reservation: Reservation | undefined;
    let ledger: BudgetLedger | undefined;
    if (this.config.budget) {
      const period = this.currentPeriod(now);
      ledger = period.ledger;
      const reserved = ledger.tryReserve(0, worstUsd);
      if (typeof reserved === 'string') {
        this.rpm?.adjust(-1, now);
        this.tpm?.adjust(-tokens, now);
        throw this.budgetRefusal(reserved, worstUsd, period, now);
      }
      reservation = reserved;
    }
    return { keyId: id, tenant: this.config.tenant, tokens, reservation, ledger, settled: false };
  }

  /** Replaces the ticket's reservation with the real usage; idempotent. */
  settle(ticket: Ticket, usedTokens: number, usedUsd: number, now: number): void {
    if (ticket.settled) return;
    ticket.settled = true;
    this.tpm?.adjust(usedTokens - ticket.tokens, now);
    if (ticket.reservation && ticket.ledger)
      ticket.ledger.commit(ticket.reservation, { tokens: usedTokens, usd: usedUsd });
  }

  snapshot(now: number): AccountSnapshot {
    const budget = this.config.budget;
    const period = budget ? this.currentPeriod(now) : undefined;
    const spend = period?.ledger.snapshot();
    return {
      id: this.config.id,
      tenant: this.config.tenant,
      requestsLastMinute: this.rpm?.used(now),
      tokensLastMinute: this.tpm?.used(now),
      budget:
        budget && spend && period
          ? {
              usd: budget.usd,
              period: budget.period,
              spentUsd: spend.committed.usd,
              reservedUsd: spend.reserved.usd,
              renewsAt: Number.isFinite(period.end) ? new Date(period.end).toISOString() : undefined,
            }
          : undefined,
    };
  }

  private currentPeriod(now: number): { ledger: BudgetLedger; end: number } {
    const budget = this.config.budget;
    if (!budget) throw new Error('currentPeriod called on a key without a budget');
    if (!this.period || now >= this.period.end) {
      this.period = {
        ledger: new BudgetLedger({ usd: budget.usd }),
        end: periodBounds(budget.period, now).end,
      };
    }
    return this.period;
  }

  private budgetRefusal(
    reason: string,
    worstUsd: number,
    period: { ledger: BudgetLedger; end: number },
    now: number,
  ): KeyBudgetError {
    const budget = this.config.budget as NonNullable<KeyConfig['budget']>;
    if (worstUsd > budget.usd) {
      return new KeyBudgetError(
        this.config.id,
        `this request may cost up to $${worstUsd.toFixed(6)}, more than the whole budget of $${budget.usd} per ${budget.period}; lower max_tokens`,
        Number.isFinite(period.end) ? (period.end - now) / 1000 : 86_400,
      );
    }
    // Requests in flight usually cost less than they reserved; once they settle there may be room.
    const inFlight = period.ledger.snapshot().reserved.usd > 0;
    const renews = Number.isFinite(period.end) ? (period.end - now) / 1000 : 86_400;
    return new KeyBudgetError(
      this.config.id,
      `${reason} (budget $${budget.usd} per ${budget.period}${Number.isFinite(period.end) ? '' : ', which does not renew'})`,
      inFlight ? 1 : renews,
    );
  }
}
