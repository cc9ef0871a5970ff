import { ConfigError } from '../core/errors.js';
import { Backend } from './backend.js';
import type { Cancellation } from './cancellation.js';
import type { GatewayConfig, RouteConfig } from './config.js';
import { ProviderLink } from './provider-link.js';
import { type Decision, ModelRouter } from './routing/index.js';
import type { RouteInput } from './routing/routable.js';

export type Choice =
  | { kind: 'picked'; backend: Backend; decision: Decision<Backend> }
  | {
      kind: 'wait';
      /** When some member may be available again; undefined when only a probe or a freed slot can tell. */
      until: number | undefined;
      /** True when every member is out only because of 429s (so the wait is the servers' retry-after). */
      rateLimited: boolean;
      /** Each member's state, for the error message. */
      detail: string;
    }
  /** Every member was tried and none can be tried again. */
  | { kind: 'exhausted' };

/** The backends a request has tried, with each one's health epoch at the time. */
export type Tried = Map<Backend, number>;

interface Waiter {
  wake: () => void;
}

/**
 * The backends and, per model, their router and queue of requests waiting
 * for one of them. Choosing a backend takes one of its slots (counted in
 * `inFlight`); `release` gives it back and wakes the longest waiter.
 */
export class Fleet {
  readonly backends: readonly Backend[];
  private readonly routers = new Map<string, ModelRouter<Backend>>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(config: GatewayConfig, env: NodeJS.ProcessEnv, random: () => number = Math.random) {
    this.backends = config.backends.map((b) => new Backend(b, config.health, config.scrape.intervalMs, env));
    const models = [...new Set(this.backends.flatMap((b) => b.aliases))];
    for (const model of models) {
      const route: RouteConfig = config.routing.models[model] ?? config.routing.default;
      const members = this.backends.filter((b) => b.serves(model));
      const router = new ModelRouter(members, route, random);
      const unbounded = router.thresholdedMembers().filter((b) => b.maxConcurrency === undefined);
      if (unbounded.length > 0) {
        throw new ConfigError('<gateway config>', [
          {
            path: `backends.${this.backends.indexOf(unbounded[0] as Backend)}.maxConcurrency`,
            message: `spill-over for "${model}" compares the load of ${unbounded.map((b) => b.name).join(', ')} with a threshold, so set their maxConcurrency`,
          },
        ]);
      }
      this.routers.set(model, router);
      this.waiters.set(model, new Set());
    }
  }

  /** Builds the cloud provider backends' models, so a missing key or region fails at startup. */
  async prepare(): Promise<void> {
    await Promise.all(
      this.backends.map((b) => (b.via instanceof ProviderLink ? b.via.prepare(b.aliases) : undefined)),
    );
  }

  models(): string[] {
    return [...this.routers.keys()];
  }

  serves(model: string): boolean {
    return this.routers.has(model);
  }

  router(model: string): ModelRouter<Backend> {
    const router = this.routers.get(model);
    if (!router) throw new Error(`no router for model ${model}`);
    return router;
  }

  /**
   * Picks a backend for `model` and takes a slot on it. A backend this
   * request already tried is a candidate again only if it was taken out
   * since (cooled down, marked down, rate limited) and is back: retrying a
   * backend that just failed without anything changing would only fail
   * again. When no candidate can take the request now, says what to wait
   * for, or that there is nothing left to try.
   */
  choose(model: string, input: RouteInput, tried: Tried, now: number): Choice {
    const router = this.router(model);
    const pool: Backend[] = [];
    const waitable: Backend[] = [];
    for (const b of router.members) {
      const triedAt = tried.get(b);
      if (triedAt !== undefined && triedAt === b.health.epoch) continue;
      if (b.health.available(now) && b.hasSlot()) pool.push(b);
      else waitable.push(b);
    }
    if (pool.length > 0) {
      const decision = router.pick(pool, input, now);
      decision.backend.inFlight += 1;
      tried.set(decision.backend, decision.backend.health.epoch);
      return { kind: 'picked', backend: decision.backend, decision };
    }
    if (waitable.length === 0) return { kind: 'exhausted' };
    let until: number | undefined;
    let rateLimited = true;
    const states: string[] = [];
    for (const b of waitable) {
      const state = b.health.state(now);
      if (state !== 'rate-limited') rateLimited = false;
      if (state === 'healthy') {
        states.push(`${b.name} is full (${b.inFlight} of ${b.maxConcurrency} in flight)`);
        continue;
      }
      const at = b.health.availableAt(now);
      if (at !== undefined && (until === undefined || at < until)) until = at;
      const why = b.health.reason();
      states.push(
        state === 'down'
          ? `${b.name} is down (${why})`
          : `${b.name} is ${state} for ${Math.ceil(((at ?? now) - now) / 100) / 10} s more (${why})`,
      );
    }
    return { kind: 'wait', until, rateLimited, detail: states.join('; ') };
  }

  /** Gives back a slot taken by `choose`, and lets a waiting request try for it. */
  release(backend: Backend): void {
    backend.inFlight -= 1;
    for (const model of backend.aliases) {
      const queue = this.waiters.get(model);
      const first = queue?.values().next();
      if (first && !first.done) first.value.wake();
    }
  }

  /** Wakes every request waiting for a model `backend` serves: it came back, or its cooldown ended. */
  recovered(backend: Backend): void {
    for (const model of backend.aliases)
      for (const waiter of [...(this.waiters.get(model) ?? [])]) waiter.wake();
  }

  /** Resolves at `until`, when a slot frees or a backend recovers, or when `cancel` aborts. */
  wait(model: string, until: number, cancel: Cancellation): Promise<void> {
    const queue = this.waiters.get(model);
    if (!queue || cancel.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        wake: () => {
          clearTimeout(timer);
          detach();
          queue.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, Math.max(0, until - Date.now()));
      const detach = cancel.onAbort(waiter.wake);
      queue.add(waiter);
    });
  }

  /** The dearest member's price per token: what an admission must reserve for. */
  worstPrice(model: string): { input: number; output: number } {
    let input = 0;
    let output = 0;
    for (const b of this.router(model).members) {
      input = Math.max(input, b.price.input);
      output = Math.max(output, b.price.output);
    }
    return { input, output };
  }

  close(): void {
    for (const backend of this.backends) backend.close();
    for (const queue of this.waiters.values()) for (const waiter of [...queue]) waiter.wake();
  }
}
