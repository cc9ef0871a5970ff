import { fmt, leastUtilized, type Pick, type Routable, type RoutingPolicy } from './routable.js';

/** The candidate with the lowest utilisation now (own in-flight counts plus fresh scraped load). */
export class LeastLoaded<T extends Routable> implements RoutingPolicy<T> {
  readonly name = 'least-loaded';
  private turn = 0;

  pick(candidates: readonly T[], _input: unknown, now: number): Pick<T> {
    const backend = leastUtilized(candidates, now, this.turn++);
    return { backend, reason: `least loaded (utilization ${fmt(backend.utilization(now))})` };
  }
}
