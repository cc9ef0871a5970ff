import { describe, expect, it } from 'vitest';
import { pageRank } from './pagerank.js';

describe('pageRank', () => {
  it('is uniform on a cycle and sums to one', () => {
    const rank = pageRank(3, [
      { from: 0, to: 1, weight: 1 },
      { from: 1, to: 2, weight: 1 },
      { from: 2, to: 0, weight: 1 },
    ]);
    for (const r of rank) expect(r).toBeCloseTo(1 / 3, 6);
  });

  it('matches the closed form for a node every other node points to', () => {
    // Star: 1 and 2 point at 0; 0 has no edges, so from it the walk jumps uniformly.
    // r1 = r2 = (0.15 + 0.85 r0) / 3 and r0 = 1 - r1 - r2 give r0 = 0.9 / (1.85 - 0.85 / 3).
    const rank = pageRank(3, [
      { from: 1, to: 0, weight: 1 },
      { from: 2, to: 0, weight: 1 },
    ]);
    expect(rank[0]).toBeCloseTo(0.9 / (1.85 - 0.85 / 3), 6);
    expect(rank[1]).toBeCloseTo((1 - rank[0]!) / 2, 6);
  });

  it('follows heavier edges and the personalisation', () => {
    const edges = [
      { from: 0, to: 1, weight: 9 },
      { from: 0, to: 2, weight: 1 },
    ];
    const plain = pageRank(3, edges);
    expect(plain[1]!).toBeGreaterThan(plain[2]!);
    const focused = pageRank(3, edges, Float64Array.from([0, 0, 1]));
    expect(focused[2]!).toBeGreaterThan(focused[1]!);
  });
});
