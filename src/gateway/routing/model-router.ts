import type { PolicyName, RouteConfig } from '../config.js';
import { CacheAware } from './cache-aware.js';
import { LeastLoaded } from './least-loaded.js';
import { PowerOfTwo } from './power-of-two.js';
import { RoundRobin } from './round-robin.js';
import { leastUtilized, type Pick, type Routable, type RouteInput, type RoutingPolicy } from './routable.js';
import { SessionAffinity } from './session-affinity.js';
import { SpilloverTiers } from './spillover.js';
import { WeightedRandom } from './weighted-random.js';

export interface Decision<T> extends Pick<T> {
  policy: PolicyName;
}

export function createPolicy<T extends Routable>(
  name: PolicyName,
  members: readonly T[],
  route: RouteConfig,
  random: () => number,
): RoutingPolicy<T> {
  switch (name) {
    case 'round-robin':
      return new RoundRobin();
    case 'weighted-random':
      return new WeightedRandom(random);
    case 'least-loaded':
      return new LeastLoaded();
    case 'power-of-two':
      return new PowerOfTwo(random);
    case 'cache-aware':
      return new CacheAware(members, route.cache);
  }
}

/**
 * Routing for one model: session affinity first (while the session's
 * backend can take the request and is not overloaded), then the cost tier,
 * then the model's policy within it.
 */
export class ModelRouter<T extends Routable> {
  readonly policy: RoutingPolicy<T>;
  private readonly affinity: SessionAffinity | undefined;
  private readonly tiers: SpilloverTiers<T> | undefined;
  private turn = 0;

  constructor(
    readonly members: readonly T[],
    private readonly route: RouteConfig,
    random: () => number = Math.random,
  ) {
    this.policy = createPolicy(route.policy, members, route, random);
    this.affinity = route.affinity && new SessionAffinity(route.affinity.ttlMs, route.affinity.maxSessions);
    this.tiers = route.spillover && new SpilloverTiers(members, route.spillover.loadThreshold);
  }

  /** `candidates` (not empty) are the members that can take the request now. */
  pick(candidates: readonly T[], input: RouteInput, now: number): Decision<T> {
    let pool = candidates;
    let tierReason: string | undefined;
    if (this.tiers) ({ pool, reason: tierReason } = this.tiers.narrow(candidates, now));
    const session = this.affinity && input.session;
    if (session !== undefined && this.affinity) {
      const name = this.affinity.get(session, now);
      const sticky = name === undefined ? undefined : pool.find((c) => c.name === name);
      if (sticky && !this.overloaded(sticky, pool, now)) {
        this.affinity.set(session, sticky.name, now);
        return { backend: sticky, reason: 'session affinity', policy: this.route.policy };
      }
    }
    const pick = this.policy.pick(pool, input, now);
    if (session !== undefined) this.affinity?.set(session, pick.backend.name, now);
    return {
      backend: pick.backend,
      reason: tierReason ? `${tierReason}; ${pick.reason}` : pick.reason,
      policy: this.route.policy,
    };
  }

  /** The session a request belongs to, when affinity is configured: the header's value, else `user`. */
  sessionOf(header: (name: string) => string | undefined, user: string | undefined): string | undefined {
    const affinity = this.route.affinity;
    if (!affinity) return undefined;
    const value = header(affinity.header);
    if (value !== undefined && value !== '') return `h:${value}`;
    return affinity.user && user ? `u:${user}` : undefined;
  }

  /** Members whose utilisation spill-over compares with its threshold (none without spill-over). */
  thresholdedMembers(): T[] {
    return this.tiers ? this.tiers.thresholded(this.members) : [];
  }

  /** The cheapest paid member: what every request would cost if it always went to the cloud. */
  cloudReference(): T | undefined {
    if (!this.tiers) return undefined;
    let best: T | undefined;
    for (const m of this.members) if (m.unitPrice > 0 && (!best || m.unitPrice < best.unitPrice)) best = m;
    return best;
  }

  /** The session's backend is overloaded when it is well above the least loaded by both margins. */
  private overloaded(backend: T, pool: readonly T[], now: number): boolean {
    const least = leastUtilized(pool, now, this.turn++);
    if (least === backend) return false;
    const { balanceRatio, balanceAbsolute } = this.route.cache;
    return (
      backend.utilization(now) > balanceRatio * least.utilization(now) &&
      backend.load(now) - least.load(now) > balanceAbsolute
    );
  }
}
