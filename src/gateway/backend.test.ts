import { describe, expect, it } from 'vitest';
import { Backend } from './backend.js';
import { parseGatewayConfig } from './config.js';

const INTERVAL = 1_000;

function backend(extra: Record<string, unknown> = {}): Backend {
  const config = parseGatewayConfig({
    backends: [{ name: 'b', url: 'http://127.0.0.1:9/v1', type: 'vllm', models: ['m'], ...extra }],
  });
  return new Backend(config.backends[0] as never, config.health, INTERVAL, {});
}

const reading = (running: number, waiting = 0, kvUsage?: number) => ({
  running,
  waiting,
  kvUsage,
  prefixHits: undefined,
  prefixQueries: undefined,
  prefixHitRate: undefined,
});

describe('Backend load', () => {
  it('adds other clients’ load from the last reading to its own count, discounting it as it ages', () => {
    const b = backend();
    b.inFlight = 2;
    b.recordReading(reading(5, 3), 0);
    // 8 on the server, 2 of them ours: 6 external.
    expect(b.load(0)).toBe(8);
    expect(b.load(2 * INTERVAL)).toBe(8);
    expect(b.load(3.5 * INTERVAL)).toBeCloseTo(2 + 6 * 0.5, 10);
    expect(b.load(5 * INTERVAL)).toBe(2);
    expect(b.load(60 * INTERVAL)).toBe(2);
  });

  it('derives URLs, price and utilisation from its config', () => {
    const b = backend({ maxConcurrency: 4, price: { input: 1, output: 3 } });
    expect(b.metricsUrl).toBe('http://127.0.0.1:9/metrics');
    expect(b.probeUrl).toBe('http://127.0.0.1:9/v1/models');
    expect(b.http?.basePath).toBe('/v1');
    b.inFlight = 1;
    expect(b.utilization(0)).toBe(0.25);
    b.recordReading(reading(1, 0, 0.9), 0);
    expect(b.utilization(0)).toBe(0.9);
    expect(b.cost({ promptTokens: 1_000_000, completionTokens: 1_000_000, cachedTokens: 0 })).toBe(4);
    // Ollama and plain OpenAI-compatible servers have no load metrics: the gateway's own counts are the load.
    expect(backend({ type: 'ollama' }).metricsUrl).toBeUndefined();
    expect(backend({ type: 'llamacpp' }).metricsUrl).toBe('http://127.0.0.1:9/metrics');
    expect(backend({ price: 'openai:gpt-4o' }).price.input).toBeGreaterThan(0);
    expect(() => backend({ price: 'nobody:no-such-model-xyz' })).toThrow(/no price is known/);
  });

  it('refuses an apiKeyEnv that is not set', () => {
    expect(() => backend({ apiKeyEnv: 'SWARM_TEST_MISSING_KEY' })).toThrow(
      /SWARM_TEST_MISSING_KEY is not set/,
    );
  });

  it('computes the prefix-cache hit ratio between readings, surviving a restart', () => {
    const b = backend();
    const counters = (hits: number, queries: number) => ({
      ...reading(0),
      prefixHits: hits,
      prefixQueries: queries,
    });
    b.recordReading(counters(50, 100), 0);
    expect(b.prefixHitRatio).toBe(0.5);
    b.recordReading(counters(140, 200), 1);
    expect(b.prefixHitRatio).toBe(0.9);
    b.recordReading(counters(140, 200), 2);
    expect(b.prefixHitRatio).toBe(0.9);
    b.recordReading(counters(10, 40), 3);
    expect(b.prefixHitRatio).toBe(0.25);
  });
});
