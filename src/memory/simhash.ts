import { mix32, popcount32 } from './hash.js';

/** A 64-bit SimHash as two unsigned 32-bit halves. */
export interface SimHash {
  hi: number;
  lo: number;
}

const SEED_HI = 0x6a09e667;
const SEED_LO = 0xbb67ae85;
/** Bit planes of the per-position counters: counts up to 2^24 features. */
const PLANES = 24;

/**
 * Charikar's SimHash over weighted features: texts that share most of their
 * weight differ in few of the 64 bits, so near-duplicates are found by
 * Hamming distance without comparing the texts. Weights are rounded to
 * small integers, which lets the 64 per-bit counters be kept bit-sliced:
 * adding a feature is a carry chain of a few word operations for all 32
 * positions of a half at once, instead of 64 additions.
 */
export class SimHasher {
  private readonly hiPlanes = new Int32Array(PLANES);
  private readonly loPlanes = new Int32Array(PLANES);

  hash(keys: Int32Array, weights: ArrayLike<number>, size: number): SimHash {
    const hiPlanes = this.hiPlanes;
    const loPlanes = this.loPlanes;
    hiPlanes.fill(0);
    loPlanes.fill(0);
    let total = 0;
    for (let i = 0; i < size; i++) {
      const w = Math.round(weights[i]!);
      if (w <= 0) continue;
      const key = keys[i]!;
      const hi = mix32(key ^ SEED_HI);
      const lo = mix32(key ^ SEED_LO);
      for (let r = 0; r < w; r++) {
        add(hiPlanes, hi);
        add(loPlanes, lo);
      }
      total += w;
    }
    return { hi: majority(hiPlanes, total), lo: majority(loPlanes, total) };
  }
}

/** Adds the bits of `x` to 32 bit-sliced counters (a ripple carry across the planes). */
function add(planes: Int32Array, x: number) {
  let carry = x | 0;
  for (let j = 0; carry !== 0 && j < PLANES; j++) {
    const plane = planes[j]!;
    planes[j] = plane ^ carry;
    carry = plane & carry;
  }
}

/** The word whose bit b is set when more than half of the weight had bit b set. */
function majority(planes: Int32Array, total: number): number {
  let out = 0;
  for (let b = 0; b < 32; b++) {
    let count = 0;
    for (let j = 0; j < PLANES; j++) count |= ((planes[j]! >>> b) & 1) << j;
    if (count * 2 > total) out |= 1 << b;
  }
  return out >>> 0;
}

export function hamming64(aHi: number, aLo: number, bHi: number, bLo: number): number {
  return popcount32(aHi ^ bHi) + popcount32(aLo ^ bLo);
}
