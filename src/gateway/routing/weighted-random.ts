import type { Pick, Routable, RoutingPolicy } from './routable.js';

/** A random candidate with probability proportional to its configured weight. */
export class WeightedRandom<T extends Routable> implements RoutingPolicy<T> {
  readonly name = 'weighted-random';

  constructor(private readonly random: () => number) {}

  pick(candidates: readonly T[]): Pick<T> {
    let total = 0;
    for (const c of candidates) total += c.weight;
    let point = this.random() * total;
    for (const c of candidates) {
      point -= c.weight;
      if (point < 0) return { backend: c, reason: `weighted random (weight ${c.weight} of ${total})` };
    }
    const last = candidates[candidates.length - 1] as T;
    return { backend: last, reason: `weighted random (weight ${last.weight} of ${total})` };
  }
}
