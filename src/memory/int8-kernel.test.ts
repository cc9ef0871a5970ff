import { describe, expect, it } from 'vitest';
import { Int8Codes, WEIGHT_SCALE } from './int8-kernel.js';

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Int8Codes', () => {
  it('runs the SIMD kernel here, and it scores exactly like the plain loop', () => {
    const next = random(5);
    const dims = 96;
    const docs = 1000; // not a multiple of 16: the padded tail must not leak into scores
    const simd = new Int8Codes(dims, docs);
    const plain = new Int8Codes(dims, docs, false);
    expect(simd.accelerated).toBe(true);
    expect(plain.accelerated).toBe(false);
    const row = new Int8Array(docs);
    for (let d = 0; d < dims; d++) {
      for (let i = 0; i < docs; i++) row[i] = Math.floor(next() * 255) - 127;
      simd.setRow(d, row);
      plain.setRow(d, row);
    }
    const chosen = [3, 17, 40, 41, 95];
    const weights = [WEIGHT_SCALE, -WEIGHT_SCALE, 1, -700, 1234];
    const a = Array.from(simd.scan(chosen, weights).subarray(0, docs));
    const b = Array.from(plain.scan(chosen, weights).subarray(0, docs));
    expect(a).toEqual(b);
    const expected = (doc: number) =>
      chosen.reduce((sum, d, j) => {
        return sum + weights[j]! * simd.codes[d * simd.stride + doc]!;
      }, 0);
    for (const doc of [0, 1, 500, 999]) expect(a[doc]).toBe(expected(doc));
  });

  it('scores nothing for a query with no dimensions', () => {
    const codes = new Int8Codes(8, 20);
    expect(Array.from(codes.scan([], []).subarray(0, 20))).toEqual(Array(20).fill(0));
  });
});
