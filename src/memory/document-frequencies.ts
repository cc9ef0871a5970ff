import { MemoryCorruptError } from './errors.js';

const BITS = 20;
const MASK = (1 << BITS) - 1;
const MAGIC = 0x53574446; // "SWDF"

/**
 * How many chunks contain each embedding feature, for the IDF weights of
 * the hashed embedder. Features share 1M counters by hash (a collision
 * only makes a rare feature look a little more common). Deleted chunks
 * are not subtracted: IDF is a corpus statistic, not a count of live rows.
 */
export class DocumentFrequencies {
  readonly counts: Uint32Array;
  docs = 0;

  constructor(counts = new Uint32Array(1 << BITS), docs = 0) {
    this.counts = counts;
    this.docs = docs;
  }

  addDocument(keys: Int32Array, size: number): void {
    const counts = this.counts;
    for (let i = 0; i < size; i++) counts[keys[i]! & MASK]!++;
    this.docs++;
  }

  /** BM25's IDF, never negative: rare features weigh most. */
  idf(key: number): number {
    const df = this.counts[key & MASK]!;
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }

  serialize(): Uint8Array[] {
    const head = new Uint32Array([MAGIC, BITS, this.docs]);
    return [new Uint8Array(head.buffer), new Uint8Array(this.counts.buffer)];
  }

  static deserialize(file: string, data: Buffer): DocumentFrequencies {
    if (data.byteLength !== 12 + (1 << BITS) * 4) throw new MemoryCorruptError(file, 'wrong size');
    const aligned = new Uint8Array(data.byteLength);
    aligned.set(data);
    const head = new Uint32Array(aligned.buffer, 0, 3);
    if (head[0] !== MAGIC || head[1] !== BITS) throw new MemoryCorruptError(file, 'not a frequency table');
    return new DocumentFrequencies(new Uint32Array(aligned.buffer, 12, 1 << BITS), head[2]!);
  }
}
