import { ConcurrencyGate } from './concurrency-gate.js';
import { histogramBuckets, type MetricsStyle } from './metrics-text.js';
import { PrefillLane } from './prefill-lane.js';
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
  prefill: PrefillLane;
  log: RequestLog;
  metricsStyle: MetricsStyle;
}

export function createSimState(scenario: Scenario, metricsStyle: MetricsStyle): SimState {
  const gate = new ConcurrencyGate(scenario.maxConcurrency);
  return {
    scenario,
    book: new RuleBook(scenario),
    gate,
    metrics: new SimMetrics(
      scenario.models,
      new PrefixCache(scenario.kvCacheBlocks),
      gate,
      histogramBuckets(metricsStyle),
    ),
    prefill: new PrefillLane(),
    log: new RequestLog(),
    metricsStyle,
  };
}
