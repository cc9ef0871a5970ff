/** Limits of a run's spend; an absent limit is unlimited. */
export interface BudgetLimits {
  tokens?: number;
  usd?: number;
}

export interface Spend {
  tokens: number;
  usd: number;
}

export interface Reservation {
  readonly id: number;
  readonly tokens: number;
  readonly usd: number;
}

export interface BudgetSnapshot {
  limits: BudgetLimits;
  committed: Spend;
  reserved: Spend;
}

/** Why a reservation was refused, as words for the error message. */
export type RefusalReason = string;

/**
 * One ledger is shared by every context of a run. A call reserves its
 * worst-case cost before it is sent and reconciles with the real usage after,
 * so concurrent calls cannot together overspend: the sum of committed and
 * outstanding reservations never passes the limit.
 */
export class BudgetLedger {
  readonly limits: Readonly<BudgetLimits>;
  private committedTokens = 0;
  private committedUsd = 0;
  private reservedTokens = 0;
  private reservedUsd = 0;
  private nextId = 1;
  private readonly open = new Map<number, Reservation>();

  constructor(limits: BudgetLimits = {}) {
    this.limits = Object.freeze({ ...limits });
  }

  /** Returns a reservation, or the reason it would overspend. */
  tryReserve(tokens: number, usd: number): Reservation | RefusalReason {
    const { tokens: maxTokens, usd: maxUsd } = this.limits;
    if (maxTokens !== undefined && this.committedTokens + this.reservedTokens + tokens > maxTokens) {
      return `this call may use up to ${tokens} tokens; ${this.committedTokens} spent and ${this.reservedTokens} reserved of ${maxTokens}`;
    }
    if (maxUsd !== undefined && this.committedUsd + this.reservedUsd + usd > maxUsd + 1e-12) {
      return `this call may cost up to $${usd.toFixed(6)}; $${this.committedUsd.toFixed(6)} spent and $${this.reservedUsd.toFixed(6)} reserved of $${maxUsd}`;
    }
    const reservation: Reservation = { id: this.nextId++, tokens, usd };
    this.open.set(reservation.id, reservation);
    this.reservedTokens += tokens;
    this.reservedUsd += usd;
    return reservation;
  }

  /** Replaces the reservation with what the call really used (which may exceed it: the provider decides). */
  commit(reservation: Reservation, actual: Spend): void {
    this.release(reservation);
    this.committedTokens += actual.tokens;
    this.committedUsd += actual.usd;
  }

  release(reservation: Reservation): void {
    if (!this.open.delete(reservation.id)) return;
    this.reservedTokens -= reservation.tokens;
    this.reservedUsd -= reservation.usd;
  }

  /** Why nothing more can be spent at all, or undefined while some budget is left. */
  exhausted(): string | undefined {
    const { tokens: maxTokens, usd: maxUsd } = this.limits;
    if (maxTokens !== undefined && this.committedTokens >= maxTokens) {
      return `${this.committedTokens} of ${maxTokens} tokens spent`;
    }
    if (maxUsd !== undefined && this.committedUsd >= maxUsd) {
      return `$${this.committedUsd.toFixed(6)} of $${maxUsd} spent`;
    }
    return undefined;
  }

  snapshot(): BudgetSnapshot {
    return {
      limits: { ...this.limits },
      committed: { tokens: this.committedTokens, usd: this.committedUsd },
      reserved: { tokens: this.reservedTokens, usd: this.reservedUsd },
    };
  }
}
