import { fmt, type Pick, type Routable, type RoutingPolicy } from './routable.js';

/**
 * Two candidates at random, the less utilised of them: nearly as balanced as
 * least-loaded, without every router herding onto the same idle backend when
 * load figures are stale.
 */
export class PowerOfTwo<T extends Routable> implements RoutingPolicy<T> {
  readonly name = 'power-of-two';

  constructor(private readonly random: () => number) {}

  pick(candidates: readonly T[], _input: unknown, now: number): Pick<T> {
    const n = candidates.length;
    if (n === 1) return { backend: candidates[0] as T, reason: 'only candidate' };
    const i = Math.floor(this.random() * n);
    const j = (i + 1 + Math.floor(this.random() * (n - 1))) % n;
    const a = candidates[i] as T;
    const b = candidates[j] as T;
    const [winner, loser] = a.utilization(now) <= b.utilization(now) ? [a, b] : [b, a];
    return {
      backend: winner,
      reason: `power of two (${fmt(winner.utilization(now))} vs ${loser.name} ${fmt(loser.utilization(now))})`,
    };
  }
}
