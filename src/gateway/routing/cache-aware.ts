import { PrefixIndex } from './prefix-index.js';
import {
  fmt,
  leastUtilized,
  type Pick,
  type Routable,
  type RouteInput,
  type RoutingPolicy,
} from './routable.js';

export interface CacheAwareOptions {
  chunkChars: number;
  maxChunks: number;
  backendChunks?: number | undefined;
  balanceRatio: number;
  balanceAbsolute: number;
}

/** Bit sets are 32-bit integers. */
export const MAX_CACHE_AWARE_BACKENDS = 31;

/**
 * Sends a request to the backend that was recently sent the longest prefix
 * of its prompt, so that backend's KV cache can skip that part of prefill;
 * unless that backend is overloaded relative to the least loaded candidate
 * (over both `balanceRatio` times its utilisation and `balanceAbsolute`
 * more requests), which is what keeps cache affinity from piling work onto
 * one server (SGLang #14305). Without any match it goes to the least loaded.
 */
export class CacheAware<T extends Routable> implements RoutingPolicy<T> {
  readonly name = 'cache-aware';
  private readonly index: PrefixIndex;
  private readonly bits = new Map<T, number>();
  private turn = 0;

  constructor(
    members: readonly T[],
    private readonly options: CacheAwareOptions,
  ) {
    if (members.length > MAX_CACHE_AWARE_BACKENDS) {
      throw new RangeError(
        `cache-aware routing takes at most ${MAX_CACHE_AWARE_BACKENDS} backends per model`,
      );
    }
    for (const [i, member] of members.entries()) this.bits.set(member, 1 << i);
    this.index = new PrefixIndex(options.chunkChars, options.maxChunks, options.backendChunks);
  }

  /** Prefix chunks remembered, for /metrics. */
  indexSize(): number {
    return this.index.size;
  }

  pick(candidates: readonly T[], input: RouteInput, now: number): Pick<T> {
    const keys = this.index.keys(input.promptText());
    let mask = 0;
    for (const c of candidates) mask |= this.bits.get(c) ?? 0;
    const match = this.index.longestMatch(keys, mask);
    const least = leastUtilized(candidates, now, this.turn++);
    let decision: Pick<T>;
    if (match.chunks === 0) {
      decision = {
        backend: least,
        reason: `no cached prefix; least loaded (${fmt(least.utilization(now))})`,
      };
    } else {
      const holders = candidates.filter((c) => ((this.bits.get(c) ?? 0) & match.backends) !== 0);
      const best = leastUtilized(holders, now, this.turn);
      decision = this.overloaded(best, least, now)
        ? {
            backend: least,
            reason: `prefix of ${match.chunks} chunks on ${best.name}, but it is overloaded (${fmt(best.utilization(now))} vs ${fmt(least.utilization(now))}); least loaded`,
          }
        : { backend: best, reason: `prefix match of ${match.chunks} of ${keys.length} chunks` };
    }
    this.index.insert(keys, this.bits.get(decision.backend) ?? 0);
    return decision;
  }

  private overloaded(best: T, least: T, now: number): boolean {
    if (best === least) return false;
    const { balanceRatio, balanceAbsolute } = this.options;
    return (
      best.utilization(now) > balanceRatio * least.utilization(now) &&
      best.load(now) - least.load(now) > balanceAbsolute
    );
  }
}
