import { describe, expect, it } from 'vitest';
import { radixOrder } from './radix-sort.js';
import { TopK } from './top-k.js';

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('TopK', () => {
  it('keeps the k best of many, best first, ties by lower id', () => {
    const next = random(7);
    const scores = Array.from({ length: 5000 }, () => Math.floor(next() * 100));
    const top = new TopK(25);
    scores.forEach((score, id) => {
      top.push(score, id);
    });
    const expected = scores
      .map((score, id) => ({ score, id }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, 25);
    expect(top.sorted()).toEqual(expected);
  });

  it('holds fewer than k when fewer came, and nothing for k = 0', () => {
    const top = new TopK(10);
    top.push(1, 1);
    expect(top.sorted()).toEqual([{ score: 1, id: 1 }]);
    const none = new TopK(0);
    none.push(5, 5);
    expect(none.sorted()).toEqual([]);
  });
});

describe('radixOrder', () => {
  it('sorts unsigned 32-bit keys ascending and keeps equal keys in input order', () => {
    const next = random(11);
    const keys = Uint32Array.from({ length: 20_000 }, () => Math.floor(next() * 2 ** 32) & 0xffff0fff);
    const order = radixOrder(keys, keys.length);
    for (let i = 1; i < order.length; i++) {
      const a = order[i - 1]!;
      const b = order[i]!;
      expect(keys[a]! < keys[b]! || (keys[a] === keys[b] && a < b)).toBe(true);
    }
  });
});
