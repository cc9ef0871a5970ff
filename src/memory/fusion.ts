import { docKey, fromKey, type ScoredDoc } from './scored-hit.js';

/** RRF's constant: 60 in Cormack et al., and what most engines ship. */
export const RRF_K = 60;

export interface FusedDoc extends ScoredDoc {
  /** 1-based rank in each list, when the document was in it. */
  ranks: (number | undefined)[];
}

/**
 * Reciprocal rank fusion: each list votes 1 / (k + rank) for its documents.
 * It needs no score calibration between BM25 and cosine, and a document
 * found by both paths rises above one found by either alone.
 */
export function reciprocalRankFusion(lists: readonly (readonly ScoredDoc[])[], limit: number): FusedDoc[] {
  const fused = new Map<number, { score: number; ranks: (number | undefined)[] }>();
  lists.forEach((list, which) => {
    list.forEach((hit, position) => {
      const key = docKey(hit.segment, hit.doc);
      let entry = fused.get(key);
      if (!entry) {
        entry = { score: 0, ranks: lists.map(() => undefined) };
        fused.set(key, entry);
      }
      entry.score += 1 / (RRF_K + position + 1);
      entry.ranks[which] = position + 1;
    });
  });
  return [...fused.entries()]
    .sort((a, b) => b[1].score - a[1].score || a[0] - b[0])
    .slice(0, limit)
    .map(([key, entry]) => ({ ...fromKey(key, entry.score), ranks: entry.ranks }));
}
