import { describe, expect, it } from 'vitest';
import { fixtureText, parsePrometheus, sampleValue } from '../../test/support/wire-kit.js';
import { readLoadSignals } from './load-signals.js';

/*
 * Expected figures come from the recordings themselves, read by the test
 * suite's strict parser, so these tests check the name mapping, not numbers
 * copied from a file.
 */
const reference = (text: string, name: string) => sampleValue(parsePrometheus(text), name);

describe('readLoadSignals on real vLLM scrapes', () => {
  it('reads vLLM 0.29 (V1 names, engine label, prefix-cache counters)', () => {
    const text = fixtureText('vllm-metrics/vllm-v1-0.29-kv-cache-usage.txt');
    const reading = readLoadSignals('vllm', text);
    expect(reading).toEqual({
      running: reference(text, 'vllm:num_requests_running'),
      waiting: reference(text, 'vllm:num_requests_waiting'),
      kvUsage: reference(text, 'vllm:kv_cache_usage_perc'),
      prefixHits: reference(text, 'vllm:prefix_cache_hits_total'),
      prefixQueries: reference(text, 'vllm:prefix_cache_queries_total'),
      prefixHitRate: undefined,
    });
    expect(reading?.prefixHits).toBeGreaterThan(0);
  });

  it('reads vLLM V0 (gpu_cache_usage_perc, no prefix counters)', () => {
    const text = fixtureText('vllm-metrics/vllm-v0-2024-gpu-cache-usage.txt');
    const reading = readLoadSignals('vllm', text);
    expect(reading?.kvUsage).toBe(reference(text, 'vllm:gpu_cache_usage_perc'));
    expect(reading?.running).toBe(reference(text, 'vllm:num_requests_running'));
    expect(reading?.prefixHits).toBeUndefined();
  });

  it('prefers the current name when a server exposes old and new side by side', () => {
    const text = fixtureText('vllm-metrics/vllm-mixed-old-and-new-names.txt');
    // Make the two names disagree, so the test can tell which one was read.
    const edited = text.replace(/^(vllm:gpu_cache_usage_perc\{[^}]*\}) \S+/m, '$1 0.93');
    expect(edited).not.toBe(text);
    const reading = readLoadSignals('vllm', edited);
    expect(reading?.kvUsage).toBe(reference(text, 'vllm:kv_cache_usage_perc'));
    expect(reading?.prefixQueries).toBe(reference(text, 'vllm:prefix_cache_queries_total'));
  });

  it('reads the older gpu_prefix_cache_* counters', () => {
    const text = fixtureText('vllm-metrics/vllm-v1-0.29-kv-cache-usage.txt')
      .replaceAll('vllm:prefix_cache_', 'vllm:gpu_prefix_cache_')
      .replaceAll('vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc');
    const reading = readLoadSignals('vllm', text);
    expect(reading?.prefixHits).toBe(reference(text, 'vllm:gpu_prefix_cache_hits_total'));
    expect(reading?.prefixQueries).toBe(reference(text, 'vllm:gpu_prefix_cache_queries_total'));
    expect(reading?.kvUsage).toBe(reference(text, 'vllm:gpu_cache_usage_perc'));
  });

  it('sums engines and takes the fullest KV cache', () => {
    const text = [
      'vllm:num_requests_running{engine="0",model_name="m"} 3.0',
      'vllm:num_requests_running{engine="1",model_name="m"} 4.0',
      'vllm:num_requests_waiting{engine="0",model_name="m"} 2.0',
      'vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.25',
      'vllm:kv_cache_usage_perc{engine="1",model_name="m"} 0.75',
    ].join('\n');
    expect(readLoadSignals('vllm', text)).toMatchObject({ running: 7, waiting: 2, kvUsage: 0.75 });
  });

  it('reads llama.cpp, and nothing from a server without the figures', () => {
    const llama = [
      '# HELP llamacpp:requests_processing Number of requests processing.',
      '# TYPE llamacpp:requests_processing gauge',
      'llamacpp:requests_processing 2',
      '# TYPE llamacpp:requests_deferred gauge',
      'llamacpp:requests_deferred 5',
      'llamacpp:kv_cache_usage_ratio 0.5',
    ].join('\n');
    expect(readLoadSignals('llamacpp', llama)).toMatchObject({ running: 2, waiting: 5, kvUsage: 0.5 });
    expect(readLoadSignals('vllm', llama)).toBeUndefined();
    expect(readLoadSignals('vllm', 'python_info{version="3"} 1')).toBeUndefined();
  });
});
