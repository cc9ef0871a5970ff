import { describe, expect, it } from 'vitest';
import { similarityRatio } from './similarity.js';

describe('similarityRatio', () => {
  it('is twice the common subsequence over the total length', () => {
    // "abcd" and "abxd" share "abd": 2 * 3 / 8
    expect(similarityRatio('abcd', 'abxd')).toBe(0.75);
    expect(similarityRatio('same', 'same')).toBe(1);
    expect(similarityRatio('abc', 'xyz')).toBe(0);
    expect(similarityRatio('', '')).toBe(1);
    // "kitten" / "sitting": common "ittn", 2 * 4 / 13
    expect(similarityRatio('kitten', 'sitting')).toBeCloseTo(8 / 13, 10);
  });

  it('gives up early below the floor, answering 0', () => {
    expect(similarityRatio('abcd', 'abxd', 0.8)).toBe(0);
    expect(similarityRatio('abcd', 'abxd', 0.75)).toBe(0.75);
  });
});
