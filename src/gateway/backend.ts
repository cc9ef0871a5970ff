import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { type Price, PriceTable, UnknownPriceError } from '../models/prices.js';
import { BackendHealth, type HealthPolicy } from './backend-health.js';
import { aliasesOf, type BackendConfig, upstreamModel } from './config.js';
import { BackendSetupError } from './errors.js';
import type { LoadReading } from './load-signals.js';
import { scrapes } from './load-signals.js';
import { ProviderLink } from './provider-link.js';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

const FREE: Price = { input: 0, output: 0 };

/** How the gateway reaches an OpenAI-compatible server: its own keep-alive agent and base path. */
export interface HttpEndpoint {
  readonly agent: HttpAgent;
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: number;
  /** Path prefix of the OpenAI API on this server, e.g. `/v1`. */
  readonly basePath: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * One upstream server as the gateway sees it: where it is, what it serves
 * and costs, whether it may take requests, and how loaded it is. Load is the
 * gateway's own in-flight count (exact and current) plus whatever else the
 * server's /metrics says it is doing, discounted as that reading ages.
 * An OpenAI-compatible server is reached over `http`; a cloud provider
 * through the model layer (`provider`), which has no probe or metrics.
 */
export class Backend {
  readonly name: string;
  readonly config: BackendConfig;
  readonly aliases: readonly string[];
  readonly health: BackendHealth;
  /** An OpenAI-compatible server's endpoint, or a cloud provider's link through the model layer. */
  readonly via: HttpEndpoint | ProviderLink;
  readonly metricsUrl: string | undefined;
  readonly probeUrl: string | undefined;
  readonly price: Price;
  /** USD per million tokens, input and output averaged: what spill-over tiers compare. */
  readonly unitPrice: number;
  readonly maxConcurrency: number | undefined;
  inFlight = 0;
  /** When it last answered a request (or sent a stream event): evidence of life that makes probes unnecessary. */
  lastAliveAt = 0;
  private reading: LoadReading | undefined;
  private readAt = 0;
  private inFlightAtRead = 0;
  private prefixBaseline: { hits: number; queries: number } | undefined;
  /** Prefix-cache hit ratio between the last two scrapes that saw new queries. */
  prefixHitRatio: number | undefined;

  constructor(
    config: BackendConfig,
    health: HealthPolicy,
    private readonly scrapeIntervalMs: number,
    env: NodeJS.ProcessEnv,
  ) {
    this.name = config.name;
    this.config = config;
    this.aliases = aliasesOf(config);
    this.health = new BackendHealth(health);
    if (config.type === 'provider' || config.url === undefined) {
      this.via = new ProviderLink(config, env);
      this.metricsUrl = undefined;
      this.probeUrl = undefined;
    } else {
      const url = new URL(config.url);
      const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
      const basePath = url.pathname.replace(/\/+$/, '');
      // LIFO reuse keeps few sockets warm, so fewer idle ones are closed under us by the server.
      const agentOptions = { keepAlive: true, scheduling: 'lifo' as const };
      this.via = {
        agent: protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions),
        protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port ? Number(url.port) : protocol === 'https:' ? 443 : 80,
        basePath,
        headers: httpHeaders(config, env),
      };
      this.metricsUrl = config.metricsUrl ?? (scrapes(config.type) ? `${url.origin}/metrics` : undefined);
      this.probeUrl = config.probeUrl ?? `${url.origin}${basePath}/models`;
    }
    this.price = resolvePrice(config.price);
    this.unitPrice = (this.price.input + this.price.output) / 2;
    this.maxConcurrency = config.maxConcurrency;
  }

  get http(): HttpEndpoint | undefined {
    return this.via instanceof ProviderLink ? undefined : this.via;
  }

  get weight(): number {
    return this.config.weight;
  }

  serves(alias: string): boolean {
    return this.aliases.includes(alias);
  }

  upstreamModel(alias: string): string {
    return upstreamModel(this.config, alias);
  }

  hasSlot(): boolean {
    return this.maxConcurrency === undefined || this.inFlight < this.maxConcurrency;
  }

  /** Requests it is working on: ours now, plus others' from its last reading while that is fresh. */
  load(now: number): number {
    if (!this.reading) return this.inFlight;
    const weight = this.freshness(now);
    if (weight === 0) return this.inFlight;
    const external = Math.max(0, this.reading.running + this.reading.waiting - this.inFlightAtRead);
    return this.inFlight + external * weight;
  }

  /**
   * How full it is: load over maxConcurrency (or the KV cache's fill when
   * that is higher), or load per unit of weight for a backend with no limit.
   */
  utilization(now: number): number {
    const load = this.load(now);
    if (this.maxConcurrency === undefined) return load / this.config.weight;
    const kv = this.reading?.kvUsage;
    return Math.max(load / this.maxConcurrency, kv === undefined ? 0 : kv * this.freshness(now));
  }

  /** Age of the last reading in ms, or undefined if there never was one. */
  readingAge(now: number): number | undefined {
    return this.reading ? now - this.readAt : undefined;
  }

  lastReading(): LoadReading | undefined {
    return this.reading;
  }

  recordReading(reading: LoadReading, now: number): void {
    this.reading = reading;
    this.readAt = now;
    this.inFlightAtRead = this.inFlight;
    const { prefixHits: hits, prefixQueries: queries } = reading;
    if (hits !== undefined && queries !== undefined) {
      const base = this.prefixBaseline;
      // Counters that went down mean the server restarted: its totals are then the window.
      const restarted = base !== undefined && (queries < base.queries || hits < base.hits);
      const from = base && !restarted ? base : { hits: 0, queries: 0 };
      if (queries > from.queries) this.prefixHitRatio = (hits - from.hits) / (queries - from.queries);
      this.prefixBaseline = { hits, queries };
    } else if (reading.prefixHitRate !== undefined) {
      this.prefixHitRatio = reading.prefixHitRate;
    }
  }

  /** USD for a call with this usage at this backend's price. */
  cost(usage: TokenUsage): number {
    const cached = Math.min(Math.max(usage.cachedTokens, 0), usage.promptTokens);
    const usd =
      (usage.promptTokens - cached) * this.price.input +
      cached * (this.price.cachedInput ?? this.price.input) +
      usage.completionTokens * this.price.output;
    return usd / 1_000_000;
  }

  close(): void {
    if (!(this.via instanceof ProviderLink)) this.via.agent.destroy();
  }

  /**
   * Full weight while the reading is at most two intervals old, fading to
   * nothing at five: a scraper that stopped getting answers must not leave
   * the backend looking busy (or idle) forever.
   */
  private freshness(now: number): number {
    const age = now - this.readAt;
    const full = 2 * this.scrapeIntervalMs;
    const none = 5 * this.scrapeIntervalMs;
    if (age <= full) return 1;
    if (age >= none) return 0;
    return (none - age) / (none - full);
  }
}

function httpHeaders(config: BackendConfig, env: NodeJS.ProcessEnv): Record<string, string> {
  const headers: Record<string, string> = { ...config.headers };
  if (config.apiKeyEnv !== undefined) {
    const key = env[config.apiKeyEnv];
    if (!key)
      throw new BackendSetupError(config.name, `the environment variable ${config.apiKeyEnv} is not set`);
    headers.authorization = `Bearer ${key}`;
  }
  return headers;
}

let shippedPrices: PriceTable | undefined;

function resolvePrice(price: BackendConfig['price']): Price {
  if (price === undefined) return FREE;
  if (typeof price !== 'string') return price;
  shippedPrices ??= PriceTable.load({}, []);
  const found = shippedPrices.price(price);
  if (!found) throw new UnknownPriceError(price);
  return found;
}
