import { PrometheusRegistry } from '../observe/index.js';
import type { Fleet } from './fleet.js';
import type { GatewayRequestEvent } from './gateway-events.js';
import type { KeyRing } from './keys/index.js';
import { CacheAware } from './routing/index.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** The gateway's own /metrics: requests, attempts, backends, routing, spend and savings. */
export class GatewayMetrics {
  readonly registry = new PrometheusRegistry();
  private readonly requests;
  private readonly duration;
  private readonly ttft;
  private readonly attempts;
  private readonly decisions;
  private readonly tokens;
  private readonly spend;
  private readonly savings;

  constructor(fleet: Fleet, keys: KeyRing) {
    const r = this.registry;
    this.requests = r.counter(
      'swarm_gateway_requests_total',
      'Client requests by model, serving backend, status and outcome.',
      ['model', 'backend', 'status', 'outcome'],
    );
    this.duration = r.histogram(
      'swarm_gateway_request_duration_seconds',
      'Time from arrival to the last byte of the answer.',
      ['model'],
      LATENCY_BUCKETS,
    );
    this.ttft = r.histogram(
      'swarm_gateway_time_to_first_token_seconds',
      'Time from arrival to the first event of a stream.',
      ['model'],
      LATENCY_BUCKETS,
    );
    this.attempts = r.counter('swarm_gateway_upstream_attempts_total', 'Tries of a backend, by outcome.', [
      'backend',
      'outcome',
    ]);
    this.decisions = r.counter(
      'swarm_gateway_routing_decisions_total',
      'Backends chosen, by model, policy and backend.',
      ['model', 'policy', 'backend'],
    );
    this.tokens = r.counter('swarm_gateway_tokens_total', 'Tokens used, by tenant and kind.', [
      'tenant',
      'kind',
    ]);
    this.spend = r.counter('swarm_gateway_spend_usd_total', 'Money spent at backend prices, by tenant.', [
      'tenant',
    ]);
    this.savings = r.counter(
      'swarm_gateway_spillover_savings_usd_total',
      'Spend avoided against sending every request to the cheapest paid backend, by model.',
      ['model'],
    );
    r.gauge(
      'swarm_gateway_backend_in_flight',
      'Requests the gateway has in flight on each backend.',
      ['backend'],
      () => fleet.backends.map((b) => [[b.name], b.inFlight]),
    );
    r.gauge(
      'swarm_gateway_backend_load',
      'Effective load: own in-flight plus fresh scraped external load.',
      ['backend'],
      () => fleet.backends.map((b) => [[b.name], b.load(Date.now())]),
    );
    r.gauge(
      'swarm_gateway_backend_up',
      '1 when the backend may take requests, 0 while down or cooling.',
      ['backend'],
      () => fleet.backends.map((b) => [[b.name], b.health.available(Date.now()) ? 1 : 0]),
    );
    r.gauge(
      'swarm_gateway_backend_cooldowns',
      'Times the backend was taken out by failures or probes.',
      ['backend'],
      () => fleet.backends.map((b) => [[b.name], b.health.cooldowns]),
    );
    r.gauge(
      'swarm_gateway_backend_scrape_age_seconds',
      'Age of the last /metrics reading.',
      ['backend'],
      () =>
        fleet.backends.flatMap((b) => {
          const age = b.readingAge(Date.now());
          return age === undefined ? [] : [[[b.name], age / 1000] as [string[], number]];
        }),
    );
    r.gauge(
      'swarm_gateway_backend_prefix_cache_hit_ratio',
      'Prefix-cache hit ratio the backend reported.',
      ['backend'],
      () =>
        fleet.backends.flatMap((b) =>
          b.prefixHitRatio === undefined ? [] : [[[b.name], b.prefixHitRatio] as [string[], number]],
        ),
    );
    r.gauge(
      'swarm_gateway_prefix_index_chunks',
      'Prompt chunks in the cache-aware index, by model.',
      ['model'],
      () =>
        fleet.models().flatMap((m) => {
          const policy = fleet.router(m).policy;
          return policy instanceof CacheAware ? [[[m], policy.indexSize()] as [string[], number]] : [];
        }),
    );
    r.gauge(
      'swarm_gateway_key_budget_spent_usd',
      'Spend of each budgeted key in its current period.',
      ['key', 'tenant'],
      () =>
        keys.accounts().flatMap((a) => {
          const budget = a.snapshot(Date.now()).budget;
          return budget ? [[[a.config.id, a.config.tenant], budget.spentUsd] as [string[], number]] : [];
        }),
    );
  }

  attempt(backend: string, outcome: string): void {
    this.attempts.inc([backend, outcome]);
  }

  /** Records a finished request. */
  request(event: GatewayRequestEvent): void {
    const model = event.model ?? '';
    this.requests.inc([model, event.backend ?? '', String(event.status), event.outcome]);
    if (event.outcome === 'rejected') return;
    this.duration.observe([model], event.durationMs / 1000);
    if (event.ttftMs !== undefined) this.ttft.observe([model], event.ttftMs / 1000);
    if (event.backend && event.policy) this.decisions.inc([model, event.policy, event.backend]);
    const tenant = event.tenant ?? '';
    if (event.usage) {
      this.tokens.inc([tenant, 'prompt'], event.usage.promptTokens);
      this.tokens.inc([tenant, 'completion'], event.usage.completionTokens);
      this.tokens.inc([tenant, 'cached'], event.usage.cachedTokens);
    }
    if (event.costUsd > 0) this.spend.inc([tenant], event.costUsd);
    if (event.savedUsd !== 0) this.savings.inc([model], event.savedUsd);
  }

  render(): string {
    return this.registry.render();
  }
}
