import type { DocumentFrequencies } from './document-frequencies.js';
import { BIGRAM, CHARGRAM, TextFeatures, UNIGRAM } from './text-features.js';

/** Weight of each feature class, tuned on Cranfield (bench/memory-quality.ts). */
export const FEATURE_WEIGHTS: Readonly<Record<number, number>> = {
  [UNIGRAM]: 1,
  [BIGRAM]: 0.4,
  [CHARGRAM]: 0.7,
};

/**
 * The weight-free default embedder: signed feature hashing of word
 * unigrams, bigrams and character 4-grams, sublinear TF, IDF, L2-normalised.
 * It is lexical, not semantic: texts are close when they share words,
 * word pairs and spellings, not when they mean the same thing in other
 * words. It needs no model, costs microseconds per chunk and never changes,
 * so vectors made today match queries made next year.
 */
export class HashedEmbedder {
  private readonly mask: number;
  private readonly classWeights = new Float32Array(3);
  private readonly features = new TextFeatures();

  constructor(readonly dims: number) {
    if (!Number.isInteger(Math.log2(dims))) throw new RangeError(`dims must be a power of two, got ${dims}`);
    this.mask = dims - 1;
    for (const [cls, weight] of Object.entries(FEATURE_WEIGHTS)) this.classWeights[Number(cls)] = weight;
  }

  /** Writes the unit vector of one text's features into `out` (length `dims`); all zero for no features. */
  embed(
    keys: Int32Array,
    counts: Uint16Array,
    classes: Uint8Array,
    size: number,
    df: DocumentFrequencies,
    out: Float32Array,
  ): void {
    out.fill(0);
    for (let i = 0; i < size; i++) {
      const key = keys[i]!;
      const count = counts[i]!;
      const w = this.classWeights[classes[i]!]! * (count === 1 ? 1 : 1 + Math.log(count)) * df.idf(key);
      // the top bit signs the feature, so colliding features cancel out on average instead of piling up
      const dim = (key >>> 8) & this.mask;
      out[dim] = out[dim]! + (key < 0 ? -w : w);
    }
    let norm = 0;
    for (let d = 0; d < out.length; d++) norm += out[d]! * out[d]!;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let d = 0; d < out.length; d++) out[d]! *= inv;
    }
  }

  embedText(text: string, df: DocumentFrequencies): Float32Array {
    const f = this.features.analyse(text);
    const out = new Float32Array(this.dims);
    this.embed(f.keys, f.counts, f.classes, f.size, df, out);
    return out;
  }
}
