/** What a routing policy needs to know about a backend; the gateway's `Backend` is one. */
export interface Routable {
  readonly name: string;
  readonly weight: number;
  /** USD per million tokens (input and output averaged); 0 for self-hosted. */
  readonly unitPrice: number;
  /** Requests it is working on. */
  load(now: number): number;
  /** How full it is: 1 is at its configured concurrency (or load per unit of weight without one). */
  utilization(now: number): number;
}

/** What a policy may look at in a request. */
export interface RouteInput {
  /** The prompt laid out as a chat template would; only prefix-aware policies call it. */
  promptText(): string;
  /** The session key (a header or the body's `user`), when affinity is configured and one was sent. */
  session: string | undefined;
}

export interface Pick<T> {
  backend: T;
  /** Why, in a few words: goes into the x-swarm-backend header and the request event. */
  reason: string;
}

export interface RoutingPolicy<T extends Routable> {
  readonly name: string;
  /** `candidates` is never empty: the caller has already removed backends that cannot take the request. */
  pick(candidates: readonly T[], input: RouteInput, now: number): Pick<T>;
}

/** The least utilised candidate; ties go to the one after the last tie winner, so equal backends share. */
export function leastUtilized<T extends Routable>(candidates: readonly T[], now: number, rotate = 0): T {
  let best = candidates[0] as T;
  let bestUtil = Number.POSITIVE_INFINITY;
  const n = candidates.length;
  for (let k = 0; k < n; k++) {
    const candidate = candidates[(k + rotate) % n] as T;
    const util = candidate.utilization(now);
    if (util < bestUtil) {
      best = candidate;
      bestUtil = util;
    }
  }
  return best;
}

export function fmt(value: number): string {
  return value.toFixed(2);
}
