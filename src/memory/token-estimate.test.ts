import { readFileSync } from 'node:fs';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/support/fixtures.js';
import { advanceTokens, estimateTokens } from './token-estimate.js';

const samples = {
  typescript: readFileSync(new URL('./memory-store.ts', import.meta.url), 'utf8'),
  markdown: readFileSync(new URL('../../README.md', import.meta.url), 'utf8'),
  prose: readFileSync(fixturePath('cranfield', 'cran.all.1400'), 'utf8').slice(0, 60_000),
};

describe('estimateTokens', () => {
  const encoder = new Tiktoken(o200k);

  for (const [name, text] of Object.entries(samples)) {
    it(`is within 15% of o200k_base on ${name}`, () => {
      const exact = encoder.encode(text).length;
      const ratio = estimateTokens(text) / exact;
      expect(ratio).toBeGreaterThan(0.85);
      expect(ratio).toBeLessThan(1.15);
    });
  }

  it('counts nothing in nothing, and a range of a text alone', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('hello world', 6)).toBe(estimateTokens('world'));
  });
});

describe('advanceTokens', () => {
  it('stops at the start of the word that would go over the budget', () => {
    const text = 'alpha beta gamma delta epsilon zeta eta theta';
    const end = advanceTokens(text, 0, 3);
    expect(text.slice(0, end).trim().split(' ')).toHaveLength(3);
    expect(text[end] === ' ' || text[end - 1] === ' ').toBe(true);
  });

  it('cuts inside a word that alone is over the budget', () => {
    const blob = 'x'.repeat(100_000);
    const end = advanceTokens(blob, 0, 50);
    expect(end).toBeGreaterThan(0);
    expect(end).toBeLessThan(blob.length);
  });
});
