import { ConcurrencyGate } from './concurrency-gate.js';
import type { MetricsStyle } from './metrics-text.js';
import { PrefixCache } from './prefix-cache.js';
import { RequestLog } from './request-log.js';
import { RuleBook } from './rule-book.js';
import type { Scenario } from './scenario.js';
import { SimMetrics } from './sim-metrics.js';

/** Everything one running simulator shares between its requests. */
export interface SimState {
  scenario: Scenario;
  book: RuleBook;
  gate: ConcurrencyGate;
  metrics: SimMetrics;
  log: RequestLog;
  metricsStyle: MetricsStyle;
}

export function createSimState(scenario: Scenario, metricsStyle: MetricsStyle): SimState {
  const gate = new ConcurrencyGate(scenario.maxConcurrency);
  return {
    scenario,
    book: new RuleBook(scenario),
    gate,
    metrics: new SimMetrics(scenario.models, new PrefixCache(scenario.kvCacheBlocks), gate),
    log: new RequestLog(),
    metricsStyle,
  };
}
