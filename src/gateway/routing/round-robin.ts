import type { Pick, Routable, RoutingPolicy } from './routable.js';

/** Each candidate in turn, blind to load: the baseline the other policies are measured against. */
export class RoundRobin<T extends Routable> implements RoutingPolicy<T> {
  readonly name = 'round-robin';
  private next = 0;

  pick(candidates: readonly T[]): Pick<T> {
    const turn = this.next++ % candidates.length;
    return { backend: candidates[turn] as T, reason: 'round-robin' };
  }
}
