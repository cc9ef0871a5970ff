import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { syncDirectory } from './atomic-file.js';
import { LayoutReader, type Section } from './binary-layout.js';
import { MemoryCorruptError } from './errors.js';
import { Int8Codes } from './int8-kernel.js';
import { FORMAT, VECTOR_MAGIC, vectorFileName } from './segment-files.js';
import { allocateCodes, encodeRow, type VectorCodes } from './vector-codes.js';

/**
 * Writes a segment's vector file row by row, so a merge or a remote
 * embedder never holds all float32 vectors at once: float32 rows go
 * straight to disk, the codes (int8, scales, column-major sign bits) are
 * built in memory and written at the end; then fsync and rename, as for
 * every store file.
 */
export class VectorFileWriter {
  readonly file: string;
  private readonly path: string;
  private readonly temp: string;
  private readonly fd: number;
  private readonly codes: VectorCodes;
  private written = 0;
  private offset: number;

  constructor(
    dir: string,
    private readonly segment: number,
    private readonly embedderId: string,
    private readonly count: number,
    private readonly dims: number,
  ) {
    this.file = vectorFileName(segment, embedderId);
    this.path = join(dir, this.file);
    this.temp = `${this.path}.tmp-${process.pid}`;
    this.fd = openSync(this.temp, 'w');
    this.codes = allocateCodes(count, dims);
    this.offset = this.write(Buffer.from(VECTOR_MAGIC, 'latin1'), 0);
  }

  /** Appends consecutive rows (a multiple of `dims` floats). */
  add(rows: Float32Array): void {
    const n = rows.length / this.dims;
    for (let i = 0; i < n; i++) {
      encodeRow(
        rows.subarray(i * this.dims, (i + 1) * this.dims),
        this.written + i,
        this.count,
        this.dims,
        this.codes,
      );
    }
    this.offset += this.write(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength), this.offset);
    this.written += n;
  }

  finish(): { file: string; bytes: number } {
    try {
      if (this.written !== this.count) throw new Error(`expected ${this.count} vectors, got ${this.written}`);
      const sections: Record<string, Section> = { f32: [VECTOR_MAGIC.length, this.count * this.dims * 4] };
      this.offset += this.write(new Uint8Array((8 - (this.offset % 8)) % 8), this.offset);
      for (const [name, data] of Object.entries(this.codes) as [string, ArrayBufferView][]) {
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        sections[name] = [this.offset, bytes.byteLength];
        this.offset += this.write(bytes, this.offset);
        this.offset += this.write(new Uint8Array((8 - (this.offset % 8)) % 8), this.offset);
      }
      const header = Buffer.from(
        JSON.stringify({
          format: FORMAT,
          segment: this.segment,
          embedder: this.embedderId,
          docs: this.count,
          dims: this.dims,
          sections,
        }),
      );
      const length = Buffer.alloc(4);
      length.writeUInt32LE(header.byteLength);
      for (const part of [header, length, Buffer.from(VECTOR_MAGIC, 'latin1')])
        this.offset += this.write(part, this.offset);
      fsyncSync(this.fd);
      closeSync(this.fd);
      renameSync(this.temp, this.path);
      syncDirectory(join(this.path, '..'));
      return { file: this.file, bytes: this.offset };
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed by finish()
    }
    rmSync(this.temp, { force: true });
  }

  private write(bytes: Uint8Array, position: number): number {
    let done = 0;
    while (done < bytes.byteLength)
      done += writeSync(this.fd, bytes, done, bytes.byteLength - done, position + done);
    return bytes.byteLength;
  }
}

/** What a loaded segment keeps in memory of its vectors. */
export interface LoadedCodes {
  int8: Int8Codes;
  scale: Float32Array;
  bits: Uint8Array;
}

/** A segment's vectors in memory (codes) and on disk (float32, read per candidate). */
export class SegmentVectors {
  private readonly f32Offset: number;
  private readonly row: Uint8Array;

  private constructor(
    private readonly reader: LayoutReader,
    readonly dims: number,
    readonly docs: number,
    readonly codes: LoadedCodes,
  ) {
    this.f32Offset = reader.section('f32')[0];
    this.row = new Uint8Array(dims * 4);
  }

  static open(dir: string, file: string, embedderId: string, docs: number): SegmentVectors {
    const path = join(dir, file);
    const reader = LayoutReader.open(path, VECTOR_MAGIC);
    try {
      const { header } = reader;
      if (header.format !== FORMAT) throw new MemoryCorruptError(path, `format ${String(header.format)}`);
      if (header.embedder !== embedderId || header.docs !== docs) {
        throw new MemoryCorruptError(path, 'vectors do not belong to this segment or embedder');
      }
      const dims = header.dims as number;
      // int8 rows go straight into the scan kernel's memory, one dimension at a time
      const int8 = new Int8Codes(dims, docs);
      const row = new Int8Array(docs);
      const [i8Offset] = reader.section('i8');
      for (let d = 0; d < dims; d++) {
        reader.readInto(new Uint8Array(row.buffer), i8Offset + d * docs);
        int8.setRow(d, row);
      }
      const codes: LoadedCodes = {
        int8,
        scale: new Float32Array(reader.read('scale')),
        bits: new Uint8Array(reader.read('bits')),
      };
      return new SegmentVectors(reader, dims, docs, codes);
    } catch (error) {
      reader.close();
      throw error;
    }
  }

  /** The exact (float32) vector of one document, read from disk. */
  exact(doc: number, out: Float32Array): Float32Array {
    this.reader.readInto(this.row, this.f32Offset + doc * this.dims * 4);
    out.set(new Float32Array(this.row.buffer, 0, this.dims));
    return out;
  }

  /** Float32 vectors of documents `[from, to)`, read in one go. */
  rows(from: number, to: number): Float32Array {
    const out = new Float32Array((to - from) * this.dims);
    this.reader.readInto(new Uint8Array(out.buffer), this.f32Offset + from * this.dims * 4);
    return out;
  }

  close(): void {
    this.reader.close();
  }
}
