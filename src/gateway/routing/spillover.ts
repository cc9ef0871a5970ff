import type { Routable } from './routable.js';

/**
 * Cost tiers for spill-over: backends grouped by price, cheapest first.
 * A request stays in the cheapest tier that has a backend under
 * `loadThreshold` utilisation; the dearest tier (a paid cloud API, say) is
 * the overflow, and gets a request only when every cheaper backend is down,
 * full or over the threshold.
 */
export class SpilloverTiers<T extends Routable> {
  private readonly prices: number[];

  constructor(
    members: readonly T[],
    private readonly loadThreshold: number,
  ) {
    this.prices = [...new Set(members.map((m) => m.unitPrice))].sort((a, b) => a - b);
  }

  /** Members whose load the threshold is compared with: all but the dearest tier. */
  thresholded(members: readonly T[]): T[] {
    const top = this.prices.at(-1);
    return this.prices.length < 2 ? [] : members.filter((m) => m.unitPrice !== top);
  }

  /** The candidates to route among, and why; `candidates` is not empty. */
  narrow(candidates: readonly T[], now: number): { pool: readonly T[]; reason: string | undefined } {
    const last = this.prices.length - 1;
    for (const [tier, price] of this.prices.entries()) {
      const inTier = candidates.filter((c) => c.unitPrice === price);
      const open = tier === last ? inTier : inTier.filter((c) => c.utilization(now) < this.loadThreshold);
      if (open.length > 0) {
        return {
          pool: open,
          reason:
            tier === 0
              ? undefined
              : `spill-over to tier ${tier + 1} ($${price}/M): cheaper backends busy or down`,
        };
      }
    }
    // The overflow tier is down too: the cheaper backends take the request over their threshold.
    return { pool: candidates, reason: 'every tier busy or down; least loaded of what is left' };
  }
}
