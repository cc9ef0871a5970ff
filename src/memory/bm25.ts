import { docKey, fromKey, type ScoredDoc } from './scored-hit.js';
import { FilterMasks } from './search-filter.js';
import type { Segment } from './segment.js';
import { TopK } from './top-k.js';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/**
 * BM25 over every segment with corpus-wide statistics (document count,
 * average length and document frequency summed over segments), so a
 * chunk scores the same whichever segment holds it. Term-at-a-time into a
 * per-segment accumulator, then the top k of all segments.
 */
export function bm25Search(
  segments: readonly Segment[],
  queryTerms: readonly number[],
  k: number,
  masks: FilterMasks,
): ScoredDoc[] {
  const counts = new Map<number, number>();
  for (const term of queryTerms) counts.set(term >>> 0, (counts.get(term >>> 0) ?? 0) + 1);
  let docs = 0;
  let length = 0;
  for (const segment of segments) {
    docs += segment.liveDocs;
    length += segment.liveLength;
  }
  if (docs === 0 || counts.size === 0) return [];
  const avgLength = length / docs;
  const idf = new Map<number, number>();
  for (const term of counts.keys()) {
    let df = 0;
    for (const segment of segments) {
      const range = segment.postings(term);
      if (range) df += range[1] - range[0];
    }
    if (df > 0) idf.set(term, Math.log(1 + (docs - df + 0.5) / (df + 0.5)));
  }
  const top = new TopK(k);
  segments.forEach((segment, index) => {
    const mask = masks.mask(segment);
    if (FilterMasks.allowed(segment, mask) === 0) return;
    const norms = lengthNorms(segment, avgLength);
    const scores = new Float32Array(segment.docs);
    const postDoc = segment.postDoc;
    const postTf = segment.postTf;
    let postings = 0;
    for (const [term, weight] of idf) {
      const range = segment.postings(term);
      if (!range) continue;
      postings += range[1] - range[0];
      const w = weight * (counts.get(term) ?? 1) * (BM25_K1 + 1);
      for (let i = range[0]; i < range[1]; i++) {
        const doc = postDoc[i]!;
        const tf = postTf[i]!;
        scores[doc] = scores[doc]! + (w * tf) / (tf + norms[doc]!);
      }
    }
    if (postings === 0) return;
    // the filter applies here, once per document, not once per posting
    for (let doc = 0; doc < scores.length; doc++) {
      const score = scores[doc]!;
      if (score > 0 && score > top.threshold && (!mask || mask[doc] === 1))
        top.push(score, docKey(index, doc));
    }
  });
  return top.sorted().map(({ id, score }) => fromKey(id, score));
}

const normCache = new WeakMap<Segment, { avgLength: number; norms: Float32Array }>();

/** BM25's length normalisation per document, kept per segment until the corpus' average length changes. */
function lengthNorms(segment: Segment, avgLength: number): Float32Array {
  const cached = normCache.get(segment);
  if (cached && cached.avgLength === avgLength) return cached.norms;
  const norms = new Float32Array(segment.docs);
  const lengths = segment.docLen;
  for (let doc = 0; doc < norms.length; doc++) {
    norms[doc] = BM25_K1 * (1 - BM25_B + (BM25_B * lengths[doc]!) / avgLength);
  }
  normCache.set(segment, { avgLength, norms });
  return norms;
}
