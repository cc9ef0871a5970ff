import { type ChunkDraft, indexedText } from './chunk.js';
import type { DocumentFrequencies } from './document-frequencies.js';
import { Growable } from './growable.js';
import { contentHash } from './hash.js';
import type { HashedEmbedder } from './hashed-embedder.js';
import { writeSegment } from './segment-writer.js';
import { SimHasher } from './simhash.js';
import type { SourceRecord } from './source-record.js';
import { TextFeatures, UNIGRAM } from './text-features.js';
import { VectorFileWriter } from './vector-file.js';

export type SourceStart = Omit<SourceRecord, 'docStart' | 'docEnd' | 'final' | 'resume'>;

export interface SealedSegment {
  id: number;
  file: string;
  docs: number;
  tokens: number;
  bytes: number;
  sources: SourceRecord[];
  /** Set when the vectors were made while sealing (the hashed embedder). */
  vectors?: string;
}

/** When a builder is full and must be sealed; bounds the memory an ingest holds. */
export interface BuilderLimits {
  maxDocs: number;
  maxTextChars: number;
  /** Embedding features held for the vectors made at sealing (7 bytes each). */
  maxFeatures: number;
}

const VECTOR_BATCH = 512;

/**
 * Collects chunks as ingest produces them and writes them as one immutable
 * segment: BM25 postings, per-chunk metadata, SimHash and content hash,
 * the text, and (with the hashed embedder) the vectors. Terms and features
 * are extracted once per chunk, when it is added; sealing sorts postings
 * with a radix sort and makes the vectors with the IDF of everything
 * ingested so far, this segment included.
 */
export class SegmentBuilder {
  private sources: SourceRecord[] = [];
  private current: (SourceStart & { docStart: number }) | undefined;
  private readonly features = new TextFeatures();
  private readonly simhasher = new SimHasher();
  private simWeights = new Float32Array(4096);
  private readonly docSource = new Growable(Uint32Array);
  private readonly docStart = new Growable(Float64Array);
  private readonly docEnd = new Growable(Float64Array);
  private readonly startLine = new Growable(Uint32Array);
  private readonly endLine = new Growable(Uint32Array);
  private readonly tokens = new Growable(Uint32Array);
  private readonly docLen = new Growable(Uint32Array);
  private readonly simhash = new Growable(Uint32Array);
  private readonly chunkHash = new Growable(Uint8Array);
  private readonly symbolIdx = new Growable(Int32Array);
  private symbols: string[] = [];
  private readonly symbolIds = new Map<string, number>();
  /** Chunk texts as UTF-8, back to back, with where each ends: no strings kept, no join at sealing. */
  private readonly text = new Growable(Uint8Array, 1 << 20);
  private readonly textEnd = new Growable(Float64Array);
  private textChars = 0;
  private totalTokens = 0;
  private readonly postTerm = new Growable(Uint32Array, 1 << 16);
  private readonly postDoc = new Growable(Uint32Array, 1 << 16);
  private readonly postTf = new Growable(Uint16Array, 1 << 16);
  private readonly featKey = new Growable(Int32Array, 1 << 16);
  private readonly featCount = new Growable(Uint16Array, 1 << 16);
  private readonly featClass = new Growable(Uint8Array, 1 << 16);
  private readonly featEnd = new Growable(Uint32Array);

  constructor(
    private readonly hashed: { embedder: HashedEmbedder; df: DocumentFrequencies; id: string } | undefined,
    private readonly limits: BuilderLimits,
  ) {}

  get docs(): number {
    return this.docSource.length;
  }

  get full(): boolean {
    return (
      this.docs >= this.limits.maxDocs ||
      this.textChars >= this.limits.maxTextChars ||
      this.featKey.length >= this.limits.maxFeatures
    );
  }

  beginSource(source: SourceStart): void {
    if (this.current) throw new Error('beginSource called twice without endSource');
    this.current = { ...source, docStart: this.docs };
  }

  /** Closes the current source's record; a streamed file not finished yet says where to resume. */
  endSource(final: boolean, resume?: SourceRecord['resume']): void {
    const current = this.current;
    if (!current) throw new Error('endSource called without beginSource');
    this.current = undefined;
    if (this.docs === current.docStart && !final && !resume) return;
    this.sources.push({ ...current, docEnd: this.docs, final, ...(resume ? { resume } : {}) });
  }

  addChunk(chunk: ChunkDraft): void {
    if (!this.current) throw new Error('addChunk called outside a source');
    const doc = this.docs;
    const indexed = indexedText(this.current.path, chunk.symbol, chunk.text);
    const f = this.features.analyse(indexed);
    const terms = f.terms.subarray(0, f.termCount).sort();
    // room first, then plain typed-array writes through locals: one shape per site, no per-item call
    const at = this.postTerm.length;
    this.postTerm.reserve(at + terms.length);
    this.postDoc.reserve(at + terms.length);
    this.postTf.reserve(at + terms.length);
    const termOut = this.postTerm.data;
    const docOut = this.postDoc.data;
    const tfOut = this.postTf.data;
    let w = at;
    for (let i = 0; i < terms.length; ) {
      let j = i + 1;
      while (j < terms.length && terms[j] === terms[i]) j++;
      termOut[w] = terms[i]! >>> 0;
      docOut[w] = doc;
      tfOut[w] = Math.min(0xffff, j - i);
      w++;
      i = j;
    }
    this.postTerm.length = w;
    this.postDoc.length = w;
    this.postTf.length = w;
    if (this.simWeights.length < f.size) this.simWeights = new Float32Array(f.size * 2);
    for (let i = 0; i < f.size; i++) {
      // words only: enough to tell near-copies apart, and a third of the features
      this.simWeights[i] = f.classes[i] === UNIGRAM ? 1 + Math.log(f.counts[i]!) : 0;
    }
    const sim = this.simhasher.hash(f.keys, this.simWeights, f.size);
    if (this.hashed) {
      this.hashed.df.addDocument(f.keys, f.size);
      this.featKey.append(f.keys, f.size);
      this.featCount.append(f.counts, f.size);
      this.featClass.append(f.classes, f.size);
      this.featEnd.push(this.featKey.length);
    }
    this.docSource.push(this.sources.length);
    this.docStart.push(chunk.start);
    this.docEnd.push(chunk.end);
    this.startLine.push(chunk.startLine);
    this.endLine.push(chunk.endLine);
    this.tokens.push(chunk.tokens);
    this.totalTokens += chunk.tokens;
    this.docLen.push(f.termCount);
    this.simhash.push(sim.hi);
    this.simhash.push(sim.lo);
    this.chunkHash.append(Buffer.from(contentHash(chunk.text), 'hex'));
    this.symbolIdx.push(chunk.symbol === undefined ? -1 : this.symbolId(chunk.symbol));
    const bytes = Buffer.byteLength(chunk.text, 'utf8');
    this.text.reserve(this.text.length + bytes);
    const data = this.text.data;
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).write(
      chunk.text,
      this.text.length,
      bytes,
      'utf8',
    );
    this.text.length += bytes;
    this.textEnd.push(this.text.length);
    this.textChars += chunk.text.length;
  }

  private symbolId(symbol: string): number {
    let id = this.symbolIds.get(symbol);
    if (id === undefined) {
      id = this.symbols.length;
      this.symbols.push(symbol);
      this.symbolIds.set(symbol, id);
    }
    return id;
  }

  /** Empties the builder for the next segment but keeps its buffers: fresh memory costs page faults. */
  private reset(): void {
    this.sources = [];
    this.symbols = [];
    this.symbolIds.clear();
    for (const buffer of [
      this.docSource,
      this.docStart,
      this.docEnd,
      this.startLine,
      this.endLine,
      this.tokens,
      this.docLen,
      this.simhash,
      this.chunkHash,
      this.symbolIdx,
      this.text,
      this.textEnd,
      this.postTerm,
      this.postDoc,
      this.postTf,
      this.featKey,
      this.featCount,
      this.featClass,
      this.featEnd,
    ]) {
      buffer.length = 0;
    }
    this.textChars = 0;
    this.totalTokens = 0;
  }

  /** Writes the segment (and its vectors, with the hashed embedder) durably; the builder is then empty, ready for the next. */
  seal(dir: string, id: number): SealedSegment {
    if (this.current) throw new Error('seal called inside a source');
    const n = this.docs;
    const textOffset = new Float64Array(n + 1);
    textOffset.set(this.textEnd.view(), 1);
    const written = writeSegment(dir, id, {
      sources: this.sources,
      tokens: this.totalTokens,
      docSource: this.docSource.view(),
      docStart: this.docStart.view(),
      docEnd: this.docEnd.view(),
      startLine: this.startLine.view(),
      endLine: this.endLine.view(),
      docTokens: this.tokens.view(),
      docLen: this.docLen.view(),
      simhash: this.simhash.view(),
      chunkHash: this.chunkHash.view(),
      symbolIdx: this.symbolIdx.view(),
      symbols: this.symbols,
      postTerm: this.postTerm.view(),
      postDoc: this.postDoc.view(),
      postTf: this.postTf.view(),
      text: this.text.view(),
      textOffset,
    });
    const sealed: SealedSegment = {
      id,
      file: written.file,
      docs: n,
      tokens: this.totalTokens,
      bytes: written.bytes,
      sources: this.sources,
    };
    if (this.hashed) {
      const vectors = this.writeVectors(dir, id);
      sealed.vectors = vectors.file;
      sealed.bytes += vectors.bytes;
    }
    this.reset();
    return sealed;
  }

  /** Embeds the documents in batches straight into the vector file: memory stays at one batch of rows. */
  private writeVectors(dir: string, id: number): { file: string; bytes: number } {
    const hashed = this.hashed!;
    const dims = hashed.embedder.dims;
    const writer = new VectorFileWriter(dir, id, hashed.id, this.docs, dims);
    const batch = new Float32Array(VECTOR_BATCH * dims);
    const keys = this.featKey.view();
    const counts = this.featCount.view();
    const classes = this.featClass.view();
    const ends = this.featEnd.view();
    let start = 0;
    try {
      for (let from = 0; from < this.docs; from += VECTOR_BATCH) {
        const to = Math.min(this.docs, from + VECTOR_BATCH);
        for (let doc = from; doc < to; doc++) {
          const end = ends[doc]!;
          const row = batch.subarray((doc - from) * dims, (doc - from + 1) * dims);
          hashed.embedder.embed(
            keys.subarray(start, end),
            counts.subarray(start, end),
            classes.subarray(start, end),
            end - start,
            hashed.df,
            row,
          );
          start = end;
        }
        writer.add(batch.subarray(0, (to - from) * dims));
      }
      return writer.finish();
    } catch (error) {
      writer.abort();
      throw error;
    }
  }
}
