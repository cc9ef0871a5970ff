import { describe, expect, it } from 'vitest';
import { PrefixIndex } from './prefix-index.js';

const text = (seed: string, chunks: number, size = 16) =>
  Array.from({ length: chunks }, (_, i) => `${seed}${i}`.padEnd(size, '.')).join('');

describe('PrefixIndex', () => {
  it('keys a prompt by chained chunks, so equal keys mean equal prefixes', () => {
    const index = new PrefixIndex(16, 100);
    const a = index.keys(text('a', 4));
    expect(a).toHaveLength(4);
    expect(index.keys(`${text('a', 4)}tail`)).toEqual(a);
    const b = index.keys(text('a', 2) + text('b', 2));
    expect(b.slice(0, 2)).toEqual(a.slice(0, 2));
    expect(b[2]).not.toBe(a[2]);
    // A chunk equal to another prompt's later chunk does not match without the same prefix.
    expect(index.keys(text('a', 4).slice(16))).not.toContain(a[1]);
  });

  it('finds the backends with the longest shared run of leading chunks', () => {
    const index = new PrefixIndex(16, 100);
    index.insert(index.keys(text('a', 2) + text('x', 2)), 0b01);
    index.insert(index.keys(text('a', 3) + text('y', 1)), 0b10);
    expect(index.longestMatch(index.keys(text('a', 4)), 0b11)).toEqual({ backends: 0b10, chunks: 3 });
    expect(index.longestMatch(index.keys(text('a', 2) + text('x', 2)), 0b11)).toEqual({
      backends: 0b01,
      chunks: 4,
    });
    // Only among the candidates asked about.
    expect(index.longestMatch(index.keys(text('a', 4)), 0b01)).toEqual({ backends: 0b01, chunks: 2 });
    expect(index.longestMatch(index.keys(text('z', 4)), 0b11)).toEqual({ backends: 0, chunks: 0 });
  });

  it('stays within its bound, forgetting the least recently used chunks first', () => {
    const index = new PrefixIndex(16, 6);
    const old = index.keys(text('old', 3));
    index.insert(old, 1);
    index.insert(index.keys(text('mid', 3)), 1);
    index.insert(old, 1);
    index.insert(index.keys(text('new', 3)), 1);
    expect(index.size).toBe(6);
    expect(index.longestMatch(old, 1).chunks).toBe(3);
    expect(index.longestMatch(index.keys(text('mid', 3)), 1).chunks).toBe(0);
  });

  it('forgets what a backend can no longer hold, as its server evicts it', () => {
    const index = new PrefixIndex(16, 100, 4);
    const a = index.keys(text('a', 3));
    const b = index.keys(text('b', 3));
    index.insert(a, 0b01);
    index.insert(a, 0b10);
    index.insert(b, 0b01);
    // Backend 1 holds 4 chunks: two of a's went to make room for b's; backend 2 still has a whole.
    expect(index.longestMatch(a, 0b01).chunks).toBe(0);
    expect(index.longestMatch(a, 0b11)).toEqual({ backends: 0b10, chunks: 3 });
    expect(index.longestMatch(b, 0b01).chunks).toBe(3);
  });
});
