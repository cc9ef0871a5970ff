/**
 * A discrete-event model of a fleet of vLLM-like servers, in virtual time,
 * built on the simulator's performance model and prefix cache: each server
 * has `slots` batch slots and a FIFO queue for them, prefills one prompt at
 * a time for the tokens its prefix cache misses, and decodes all its
 * running requests together, each step slower the fuller the batch. The
 * routers under test see what the gateway sees: their own in-flight counts.
 */
import type { Routable } from '../src/gateway/index.js';
import {
  BLOCK_TOKENS,
  decodeMsPerToken,
  type PerformanceProfile,
  PrefixCache,
  prefillMs,
} from '../src/sim/index.js';

export interface SimRequest {
  id: number;
  prompt: string;
  promptTokens: number;
  outputTokens: number;
  /** Prefix-cache block keys of the prompt, computed once. */
  blocks: string[];
  arrival: number;
  session?: { id: number; turn: number };
  admitted?: number;
  cachedTokens?: number;
  firstToken?: number;
  finished?: number;
  /** Decode-clock value at which it has generated all its tokens. */
  target?: number;
  /** Estimated prefill time, for the oracle's view of the prefill queue. */
  estimatedPrefillMs?: number;
}

type Event = { at: number; seq: number; run: () => void };

/** A binary min-heap of events by time, then by insertion order, so runs are deterministic. */
export class Clock {
  now = 0;
  private heap: Event[] = [];
  private seq = 0;

  at(time: number, run: () => void): void {
    const e = { at: time, seq: this.seq++, run };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(h[p] as Event, e)) break;
      h[i] = h[p] as Event;
      i = p;
    }
    h[i] = e;
  }

  run(): void {
    const h = this.heap;
    while (h.length > 0) {
      const top = h[0] as Event;
      const last = h.pop() as Event;
      if (h.length > 0) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= h.length) break;
          const r = l + 1;
          const c = r < h.length && before(h[r] as Event, h[l] as Event) ? r : l;
          if (before(last, h[c] as Event)) break;
          h[i] = h[c] as Event;
          i = c;
        }
        h[i] = last;
      }
      this.now = top.at;
      top.run();
    }
  }
}

function before(a: Event, b: Event): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class SimBackend implements Routable {
  readonly weight = 1;
  readonly unitPrice = 0;
  readonly cache: PrefixCache;
  readonly queue: SimRequest[] = [];
  readonly prefillQueue: SimRequest[] = [];
  private prefilling: SimRequest | undefined;
  private prefillEnds = 0;
  private readonly decoding: SimRequest[] = [];
  private occupied = 0;
  /** Tokens generated so far by a request decoding since time 0: advances at one per decode step. */
  private tokenClock = 0;
  private clockAt = 0;
  private version = 0;
  private inFlightArea = 0;
  private inFlightSince = 0;

  constructor(
    readonly name: string,
    readonly slots: number,
    /** Multiplies every duration: 2 is a server half as fast. */
    readonly slowdown: number,
    cacheBlocks: number,
    private readonly profile: PerformanceProfile,
    private readonly clock: Clock,
    private readonly done: (r: SimRequest, backend: SimBackend) => void,
  ) {
    this.cache = new PrefixCache(cacheBlocks);
  }

  get inFlight(): number {
    return this.queue.length + this.occupied;
  }

  load(): number {
    return this.inFlight;
  }

  utilization(): number {
    return this.inFlight / this.slots;
  }

  /** Time-averaged in-flight requests up to now. */
  meanInFlight(until: number): number {
    return (this.inFlightArea + this.inFlight * (until - this.inFlightSince)) / Math.max(1, until);
  }

  submit(r: SimRequest): void {
    this.account();
    r.estimatedPrefillMs = this.estimatePrefill(r);
    this.queue.push(r);
    this.admit();
  }

  /** The oracle's estimate of this request's time to first token here, knowing the cache and the queues. */
  estimateTtft(r: SimRequest, meanServiceMs: number): number {
    const now = this.clock.now;
    const free = this.slots - this.occupied;
    const ahead = this.queue.length + 1 - free;
    const slotWait = ahead > 0 ? (ahead * meanServiceMs * this.slowdown) / this.slots : 0;
    let backlog = this.prefilling ? Math.max(0, this.prefillEnds - now) : 0;
    for (const q of this.prefillQueue) backlog += q.estimatedPrefillMs ?? 0;
    for (const q of this.queue) backlog += q.estimatedPrefillMs ?? 0;
    return Math.max(slotWait, backlog) + this.estimatePrefill(r);
  }

  private estimatePrefill(r: SimRequest): number {
    const cached = Math.min(r.promptTokens, this.cache.peekKeys(r.blocks) * BLOCK_TOKENS);
    return prefillMs(this.profile, r.promptTokens - cached) * this.slowdown;
  }

  private admit(): void {
    while (this.occupied < this.slots && this.queue.length > 0) {
      const r = this.queue.shift() as SimRequest;
      this.advanceClock();
      this.occupied += 1;
      r.admitted = this.clock.now;
      this.prefillQueue.push(r);
      this.reschedule();
    }
    this.startPrefill();
  }

  private startPrefill(): void {
    if (this.prefilling || this.prefillQueue.length === 0) return;
    const r = this.prefillQueue.shift() as SimRequest;
    this.prefilling = r;
    r.cachedTokens = Math.min(r.promptTokens, this.cache.lookupKeys(r.blocks) * BLOCK_TOKENS);
    const ms = prefillMs(this.profile, r.promptTokens - r.cachedTokens) * this.slowdown;
    this.prefillEnds = this.clock.now + ms;
    this.clock.at(this.prefillEnds, () => {
      this.prefilling = undefined;
      r.firstToken = this.clock.now;
      this.advanceClock();
      // The first token comes with prefill; the rest are decode steps.
      r.target = this.tokenClock + Math.max(0, r.outputTokens - 1);
      this.decoding.push(r);
      this.reschedule();
      this.startPrefill();
    });
  }

  private stepMs(): number {
    return decodeMsPerToken(this.profile, this.occupied) * this.slowdown;
  }

  private advanceClock(): void {
    const now = this.clock.now;
    if (this.decoding.length > 0) this.tokenClock += (now - this.clockAt) / this.stepMs();
    this.clockAt = now;
  }

  /** Schedules the next decode completion; earlier schedules become stale through the version. */
  private reschedule(): void {
    const version = ++this.version;
    if (this.decoding.length === 0) return;
    let next = Number.POSITIVE_INFINITY;
    for (const r of this.decoding) next = Math.min(next, r.target as number);
    const at = this.clock.now + Math.max(0, next - this.tokenClock) * this.stepMs();
    this.clock.at(at, () => {
      if (version !== this.version) return;
      this.advanceClock();
      for (let i = this.decoding.length - 1; i >= 0; i--) {
        const r = this.decoding[i] as SimRequest;
        if ((r.target as number) > this.tokenClock + 1e-9) continue;
        this.decoding.splice(i, 1);
        this.account();
        this.occupied -= 1;
        r.finished = this.clock.now;
        this.done(r, this);
      }
      this.reschedule();
      this.admit();
    });
  }

  private account(): void {
    const now = this.clock.now;
    this.inFlightArea += this.inFlight * (now - this.inFlightSince);
    this.inFlightSince = now;
  }
}
