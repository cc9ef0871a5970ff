import { errorMessage } from '../core/errors.js';
import type { Backend } from './backend.js';
import type { GatewayConfig } from './config.js';
import type { Fleet } from './fleet.js';
import { readLoadSignals, scrapes } from './load-signals.js';
import { getUpstream, UpstreamConnectionError } from './upstream.js';

const MAX_SCRAPE_BYTES = 4 * 1024 * 1024;

/**
 * The active side of health and load: probes every backend on an interval
 * (a failed probe takes it out, a good one brings it back) and scrapes the
 * /metrics of those that have one. A scrape or probe still running when the
 * next is due is not started twice.
 */
export class Monitor {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly fleet: Fleet,
    private readonly config: GatewayConfig,
    private readonly onChange: (backend: Backend, change: 'down' | 'up') => void,
  ) {}

  start(): void {
    const { health, scrape } = this.config;
    // A first round right away, so a backend that is down is known before the first interval.
    void this.probeAll();
    this.every(health.probeIntervalMs, () => this.probeAll());
    if (this.fleet.backends.some((b) => b.metricsUrl !== undefined)) {
      void this.scrapeAll();
      this.every(scrape.intervalMs, () => this.scrapeAll());
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
  }

  /**
   * One round of probes. `fresh` (for callers that need the state as of now)
   * waits for a round already running and then probes again; the timer's
   * rounds skip a backend whose previous probe has not finished.
   */
  async probeAll(fresh = false): Promise<void> {
    await Promise.all(
      this.fleet.backends.map((b) => this.once(`probe:${b.name}`, fresh, () => this.probe(b))),
    );
  }

  async scrapeAll(fresh = false): Promise<void> {
    await Promise.all(
      this.fleet.backends
        .filter((b) => b.metricsUrl !== undefined)
        .map((b) => this.once(`scrape:${b.name}`, fresh, () => this.scrape(b))),
    );
  }

  private every(ms: number, run: () => Promise<void>): void {
    const timer = setInterval(() => void run(), ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async once(key: string, fresh: boolean, run: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      if (!fresh) return;
      await current;
    }
    if (this.stopped || this.running.has(key)) return this.running.get(key);
    const job = run().finally(() => this.running.delete(key));
    this.running.set(key, job);
    return job;
  }

  /**
   * A backend that answered a request within the last interval needs no
   * probe. A probe that times out while the backend is visibly serving
   * (answers or stream events since the probe started) is a busy server, not
   * a dead one; only a refused connection, an error status or silence all
   * round takes it out.
   */
  private async probe(backend: Backend): Promise<void> {
    const { http, probeUrl } = backend;
    // Cloud provider backends have no probe: their cooldowns end by time.
    if (!http || probeUrl === undefined) return;
    const started = Date.now();
    if (
      backend.health.state(started) !== 'down' &&
      started - backend.lastAliveAt < this.config.health.probeIntervalMs
    ) {
      return;
    }
    let problem: string | undefined;
    let busy = false;
    try {
      const { status } = await getUpstream(backend.name, http, probeUrl, this.config.health.probeTimeoutMs);
      if (status >= 500 || status === 401 || status === 403 || status === 404)
        problem = `probe answered HTTP ${status}`;
    } catch (error) {
      const unreachable = error instanceof UpstreamConnectionError && error.unreachable;
      problem = `probe failed: ${error instanceof UpstreamConnectionError ? error.detail : errorMessage(error)}`;
      busy = !unreachable && backend.lastAliveAt >= started;
    }
    if (this.stopped || busy) return;
    if (problem === undefined) {
      backend.lastAliveAt = Date.now();
      if (backend.health.probeSucceeded()) this.onChange(backend, 'up');
    } else if (backend.health.markDown(problem)) {
      this.onChange(backend, 'down');
    }
  }

  private async scrape(backend: Backend): Promise<void> {
    const { http, metricsUrl: url } = backend;
    if (!http || url === undefined || !scrapes(backend.config.type)) return;
    try {
      const { status, text } = await getUpstream(backend.name, http, url, this.config.scrape.timeoutMs);
      if (status !== 200 || text.length > MAX_SCRAPE_BYTES) return;
      const reading = readLoadSignals(backend.config.type, text);
      if (reading) backend.recordReading(reading, Date.now());
    } catch {
      // A missed scrape only ages the last reading, which load() then discounts.
    }
  }
}
