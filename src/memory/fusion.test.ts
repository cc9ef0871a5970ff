import { describe, expect, it } from 'vitest';
import { RRF_K, reciprocalRankFusion } from './fusion.js';

const doc = (segment: number, d: number) => ({ segment, doc: d, score: 0 });

describe('reciprocalRankFusion', () => {
  it('ranks a document both lists found above one either found alone', () => {
    const bm25 = [doc(0, 1), doc(0, 2), doc(1, 3)];
    const vector = [doc(1, 3), doc(0, 9)];
    const fused = reciprocalRankFusion([bm25, vector], 10);
    expect(fused[0]).toMatchObject({ segment: 1, doc: 3, ranks: [3, 1] });
    expect(fused[0]!.score).toBeCloseTo(1 / (RRF_K + 3) + 1 / (RRF_K + 1));
    expect(fused.map((f) => `${f.segment}:${f.doc}`)).toEqual(['1:3', '0:1', '0:2', '0:9']);
  });

  it('stops at the limit and handles empty lists', () => {
    expect(reciprocalRankFusion([[doc(0, 1), doc(0, 2)], []], 1)).toHaveLength(1);
    expect(reciprocalRankFusion([[], []], 5)).toEqual([]);
  });
});
