import { describe, expect, it } from 'vitest';
import { fixtureText, parsePrometheus } from '../../test/support/wire-kit.js';
import { parseSamples } from './prometheus-text.js';

const FIXTURES = [
  'vllm-v0-2024-gpu-cache-usage.txt',
  'vllm-v1-0.29-kv-cache-usage.txt',
  'vllm-mixed-old-and-new-names.txt',
];

describe('parseSamples', () => {
  it('reads every sample of real vLLM scrapes as the strict reference parser does', () => {
    for (const file of FIXTURES) {
      const text = fixtureText(`vllm-metrics/${file}`);
      const reference = parsePrometheus(text).samples;
      const ours = parseSamples(text);
      expect(ours.length, file).toBe(reference.length);
      expect(ours, file).toEqual(reference);
    }
  });

  it('filters by name before reading labels', () => {
    const text = fixtureText('vllm-metrics/vllm-v1-0.29-kv-cache-usage.txt');
    const running = parseSamples(text, (name) => name === 'vllm:num_requests_running');
    expect(running.map((s) => s.name)).toEqual(['vllm:num_requests_running']);
  });

  it('copes with escapes, braces in values, special values, timestamps, CRLF and no final newline', () => {
    const text = [
      '# HELP x a metric',
      'x{path="C:\\\\dir",quote="say \\"hi\\"",brace="}{",nl="a\\nb"} 1.5 1700000000000\r',
      'y +Inf',
      'z{a="1",} NaN',
      'broken{a="1" 3',
      'w -2e-3',
    ].join('\n');
    const samples = parseSamples(text);
    expect(samples[0]).toEqual({
      name: 'x',
      labels: { path: 'C:\\dir', quote: 'say "hi"', brace: '}{', nl: 'a\nb' },
      value: 1.5,
    });
    expect(samples[1]?.value).toBe(Number.POSITIVE_INFINITY);
    expect(samples[2]?.labels).toEqual({ a: '1' });
    expect(Number.isNaN(samples[2]?.value)).toBe(true);
    expect(samples.map((s) => s.name)).toEqual(['x', 'y', 'z', 'w']);
    expect(samples[3]?.value).toBe(-0.002);
  });
});
