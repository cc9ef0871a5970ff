import { scanWords } from './analyzer.js';
import { mix32 } from './hash.js';

/** Feature classes of the hashed embedding; each has its own weight. */
export const UNIGRAM = 0;
export const BIGRAM = 1;
export const CHARGRAM = 2;

const TAGS = [0x3c6ef372, 0xa54ff53a, 0x510e527f];
const GRAM_MULT = 0x01000193;
const WORD_START = 1;
const WORD_END = 2;

/**
 * One pass over a text that yields what the index needs: its terms in
 * order (for BM25 and the term counts) and, optionally, its distinct
 * embedding features (word unigrams, bigrams of neighbouring words and
 * character 4-grams of each word with its boundaries) with their counts.
 * The buffers are reused from text to text: read them before the next call.
 */
export class TextFeatures {
  terms = new Int32Array(1024);
  termCount = 0;
  keys = new Int32Array(4096);
  counts = new Uint16Array(4096);
  classes = new Uint8Array(4096);
  size = 0;
  private slots = new Int32Array(16384);
  private stamps = new Uint32Array(16384);
  private stamp = 0;
  private previous = 0;
  private hasPrevious = false;
  private withFeatures = true;

  private readonly onWord = (codes: Uint16Array, length: number, term: number, stop: boolean) => {
    if (stop) {
      // bigrams join neighbours only: a pair across "of the" is mostly noise (measured on Cranfield)
      this.hasPrevious = false;
      return;
    }
    if (this.termCount === this.terms.length) this.terms = grow(this.terms);
    this.terms[this.termCount++] = term;
    if (!this.withFeatures) return;
    this.add(mix32(term ^ TAGS[UNIGRAM]!), UNIGRAM);
    if (this.hasPrevious)
      this.add(mix32(Math.imul(this.previous, 0x9e3779b1) ^ term ^ TAGS[BIGRAM]!), BIGRAM);
    this.previous = term;
    this.hasPrevious = true;
    // character 4-grams over ^word$ (prefixes and suffixes are features too), with a sliding window
    const padded = length + 2;
    let a = WORD_START;
    let b = codes[0]!;
    let c = length > 1 ? codes[1]! : WORD_END;
    for (let p = 3; p < padded; p++) {
      const d = p === padded - 1 ? WORD_END : codes[p - 1]!;
      this.add(
        mix32(Math.imul(((a << 16) | b) >>> 0, GRAM_MULT) ^ ((c << 16) | d) ^ TAGS[CHARGRAM]!),
        CHARGRAM,
      );
      a = b;
      b = c;
      c = d;
    }
  };

  analyse(text: string, withFeatures = true, start = 0, end = text.length): this {
    this.termCount = 0;
    this.size = 0;
    this.hasPrevious = false;
    this.withFeatures = withFeatures;
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
    scanWords(text, this.onWord, start, end);
    return this;
  }

  private add(key: number, cls: number) {
    const mask = this.slots.length - 1;
    let slot = key & mask;
    for (;;) {
      if (this.stamps[slot] !== this.stamp) break;
      const index = this.slots[slot]!;
      if (this.keys[index] === (key | 0) && this.classes[index] === cls) {
        if (this.counts[index]! < 0xffff) this.counts[index]!++;
        return;
      }
      slot = (slot + 1) & mask;
    }
    if (this.size === this.keys.length) {
      this.keys = grow(this.keys);
      this.counts = grow(this.counts);
      this.classes = grow(this.classes);
    }
    const index = this.size++;
    this.keys[index] = key;
    this.counts[index] = 1;
    this.classes[index] = cls;
    this.stamps[slot] = this.stamp;
    this.slots[slot] = index;
    if (this.size * 2 > this.slots.length) this.rehash();
  }

  private rehash() {
    const capacity = this.slots.length * 2;
    this.slots = new Int32Array(capacity);
    this.stamps = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let index = 0; index < this.size; index++) {
      let slot = this.keys[index]! & mask;
      while (this.stamps[slot] === this.stamp) slot = (slot + 1) & mask;
      this.stamps[slot] = this.stamp;
      this.slots[slot] = index;
    }
  }
}

function grow<T extends Int32Array | Uint16Array | Uint8Array>(array: T): T {
  const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
