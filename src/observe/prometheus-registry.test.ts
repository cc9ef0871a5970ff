import { describe, expect, it } from 'vitest';
import { parsePrometheus, sampleValue } from '../../test/support/wire-kit.js';
import { PrometheusRegistry } from './prometheus-registry.js';

describe('PrometheusRegistry', () => {
  it('renders counters, gauges and cumulative histograms a strict parser accepts', () => {
    const r = new PrometheusRegistry();
    const requests = r.counter('t_requests_total', 'Requests.', ['model']);
    const latency = r.histogram('t_latency_seconds', 'Latency.', ['model'], [0.1, 1]);
    r.gauge('t_up', 'Up.', ['backend'], () => [[['a"b\\c'], 1]]);
    requests.inc(['m']);
    requests.inc(['m'], 2);
    for (const v of [0.05, 0.5, 5]) latency.observe(['m'], v);
    const prom = parsePrometheus(r.render());
    expect(sampleValue(prom, 't_requests_total', { model: 'm' })).toBe(3);
    expect(sampleValue(prom, 't_latency_seconds_bucket', { le: '0.1' })).toBe(1);
    expect(sampleValue(prom, 't_latency_seconds_bucket', { le: '1' })).toBe(2);
    expect(sampleValue(prom, 't_latency_seconds_bucket', { le: '+Inf' })).toBe(3);
    expect(sampleValue(prom, 't_latency_seconds_sum')).toBeCloseTo(5.55, 10);
    expect(sampleValue(prom, 't_up', { backend: 'a\\"b\\\\c' })).toBe(1);
    expect(prom.types.get('t_latency_seconds')).toBe('histogram');
  });
});
