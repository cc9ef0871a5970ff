import { join } from 'node:path';
import { z } from 'zod';
import { LayoutReader } from './binary-layout.js';
import type { DocKind } from './chunk.js';
import { MemoryCorruptError } from './errors.js';
import type { SegmentEntry } from './manifest.js';
import { FORMAT, SEGMENT_MAGIC } from './segment-files.js';
import { type SourceRecord, sourceRecordSchema } from './source-record.js';
import type { SegmentVectors } from './vector-file.js';

/** One chunk as a search returns it. */
export interface ChunkRecord {
  /** `segment:doc`; changes when segments merge. */
  id: string;
  path: string;
  source: string;
  tenant: string;
  kind: DocKind;
  language?: string;
  /** Content hash of the file version the chunk came from. */
  sourceHash: string;
  /** Content hash of the chunk's text. */
  hash: string;
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  tokens: number;
  symbol?: string;
  text: string;
}

/** Vectors of live chunks, ids as `segment:doc`, row after row. */
export interface VectorBatch {
  ids: string[];
  dims: number;
  rows: Float32Array;
}

const VECTOR_BATCH = 4096;

const headerSchema = z.looseObject({
  format: z.literal(FORMAT),
  id: z.number().int(),
  docs: z.number().int().nonnegative(),
  tokens: z.number().nonnegative(),
  sources: z.array(sourceRecordSchema),
});

/**
 * A sealed segment opened for search. Postings, metadata and SimHashes are
 * read into memory; chunk texts stay on disk and are read when a result is
 * shown. Deleted sources (a file changed or removed since) are masked out
 * by `live`, which every search consults while scoring.
 */
export class Segment {
  readonly id: number;
  readonly docs: number;
  readonly tokens: number;
  readonly sources: SourceRecord[];
  readonly docSource: Uint32Array;
  readonly docLen: Uint32Array;
  readonly simhash: Uint32Array;
  readonly terms: Uint32Array;
  readonly termStart: Uint32Array;
  readonly postDoc: Uint32Array;
  readonly postTf: Uint16Array;
  /** 1 for documents still live; undefined when none is deleted. */
  live: Uint8Array | undefined;
  liveDocs: number;
  deleted: ReadonlySet<number> = new Set();
  vectors: SegmentVectors | undefined;
  readonly docStart: Float64Array;
  readonly docEnd: Float64Array;
  readonly startLine: Uint32Array;
  readonly endLine: Uint32Array;
  readonly docTokens: Uint32Array;
  readonly chunkHash: Uint8Array;
  readonly symbolIdx: Int32Array;
  readonly symbols: string[];
  readonly textOffset: Float64Array;
  private readonly textBase: number;
  /** Sum of the live documents' lengths, for BM25's average. */
  liveLength = 0;

  private constructor(private readonly reader: LayoutReader) {
    const parsed = headerSchema.safeParse(reader.header);
    if (!parsed.success) throw new MemoryCorruptError(reader.file, 'bad header');
    const header = parsed.data;
    this.id = header.id;
    this.docs = header.docs;
    this.tokens = header.tokens;
    this.sources = header.sources;
    this.docSource = new Uint32Array(reader.read('docSource'));
    this.docStart = new Float64Array(reader.read('docStart'));
    this.docEnd = new Float64Array(reader.read('docEnd'));
    this.startLine = new Uint32Array(reader.read('startLine'));
    this.endLine = new Uint32Array(reader.read('endLine'));
    this.docTokens = new Uint32Array(reader.read('tokens'));
    this.docLen = new Uint32Array(reader.read('docLen'));
    this.simhash = new Uint32Array(reader.read('simhash'));
    this.chunkHash = new Uint8Array(reader.read('chunkHash'));
    this.symbolIdx = new Int32Array(reader.read('symbolIdx'));
    this.symbols = JSON.parse(Buffer.from(reader.read('symbols')).toString('utf8')) as string[];
    this.terms = new Uint32Array(reader.read('terms'));
    this.termStart = new Uint32Array(reader.read('termStart'));
    this.postDoc = new Uint32Array(reader.read('postDoc'));
    this.postTf = new Uint16Array(reader.read('postTf'));
    this.textOffset = new Float64Array(reader.read('textOffset'));
    this.textBase = reader.section('text')[0];
    this.live = undefined;
    this.liveDocs = this.docs;
    for (let d = 0; d < this.docs; d++) this.liveLength += this.docLen[d]!;
  }

  static open(dir: string, entry: SegmentEntry): Segment {
    const reader = LayoutReader.open(join(dir, entry.file), SEGMENT_MAGIC);
    try {
      const segment = new Segment(reader);
      if (segment.id !== entry.id || segment.docs !== entry.docs) {
        throw new MemoryCorruptError(reader.file, 'segment does not match the manifest');
      }
      segment.setDeleted(entry.deleted);
      return segment;
    } catch (error) {
      reader.close();
      throw error;
    }
  }

  /** Masks out the documents of the given source records. */
  setDeleted(deleted: readonly number[]): void {
    this.deleted = new Set(deleted);
    if (deleted.length === 0) {
      this.live = undefined;
      this.liveDocs = this.docs;
    } else {
      const live = new Uint8Array(this.docs).fill(1);
      for (const index of deleted) {
        const record = this.sources[index];
        if (record) live.fill(0, record.docStart, record.docEnd);
      }
      this.live = live;
      this.liveDocs = live.reduce((sum, v) => sum + v, 0);
    }
    this.liveLength = 0;
    for (let d = 0; d < this.docs; d++) if (!this.live || this.live[d]) this.liveLength += this.docLen[d]!;
  }

  /** The postings range `[start, end)` of a term, or undefined when the segment lacks it. */
  postings(term: number): [number, number] | undefined {
    const terms = this.terms;
    let lo = 0;
    let hi = terms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = terms[mid]!;
      if (value === term) return [this.termStart[mid]!, this.termStart[mid + 1]!];
      if (value < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  text(doc: number): string {
    const bytes = this.textBytes(doc, doc + 1);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }

  /** The UTF-8 text of documents `[from, to)`, which lie back to back in the file. */
  textBytes(from: number, to: number): Uint8Array {
    const start = this.textOffset[from]!;
    const bytes = new Uint8Array(this.textOffset[to]! - start);
    this.reader.readInto(bytes, this.textBase + start);
    return bytes;
  }

  source(doc: number): SourceRecord {
    return this.sources[this.docSource[doc]!]!;
  }

  chunk(doc: number): ChunkRecord {
    const source = this.source(doc);
    const symbol = this.symbolIdx[doc]!;
    return {
      id: `${this.id}:${doc}`,
      path: source.path,
      source: source.source,
      tenant: source.tenant,
      kind: source.kind,
      ...(source.language ? { language: source.language } : {}),
      sourceHash: source.hash,
      hash: Buffer.from(this.chunkHash.subarray(doc * 16, doc * 16 + 16)).toString('hex'),
      start: this.docStart[doc]!,
      end: this.docEnd[doc]!,
      startLine: this.startLine[doc]!,
      endLine: this.endLine[doc]!,
      tokens: this.docTokens[doc]!,
      ...(symbol >= 0 ? { symbol: this.symbols[symbol]! } : {}),
      text: this.text(doc),
    };
  }

  /** The live documents' float32 vectors, read from disk in batches (for evaluation and export). */
  *vectorBatches(): Generator<VectorBatch> {
    const vectors = this.vectors;
    if (!vectors) return;
    const { dims } = vectors;
    for (let from = 0; from < this.docs; from += VECTOR_BATCH) {
      const to = Math.min(this.docs, from + VECTOR_BATCH);
      const all = vectors.rows(from, to);
      const live: number[] = [];
      for (let doc = from; doc < to; doc++) if (!this.live || this.live[doc]) live.push(doc);
      const rows = new Float32Array(live.length * dims);
      live.forEach((doc, i) => {
        rows.set(all.subarray((doc - from) * dims, (doc - from + 1) * dims), i * dims);
      });
      yield { ids: live.map((doc) => `${this.id}:${doc}`), dims, rows };
    }
  }

  /** Bytes this segment holds in memory (its vectors included). */
  memoryBytes(): number {
    const arrays = [
      this.docSource,
      this.docStart,
      this.docEnd,
      this.startLine,
      this.endLine,
      this.docTokens,
      this.docLen,
      this.simhash,
      this.chunkHash,
      this.symbolIdx,
      this.terms,
      this.termStart,
      this.postDoc,
      this.postTf,
      this.textOffset,
    ];
    let bytes = arrays.reduce((sum, a) => sum + a.byteLength, 0) + (this.live?.byteLength ?? 0);
    if (this.vectors) {
      const { int8, scale, bits } = this.vectors.codes;
      bytes += int8.codes.byteLength + scale.byteLength + bits.byteLength;
    }
    return bytes;
  }

  close(): void {
    this.vectors?.close();
    this.reader.close();
  }
}
