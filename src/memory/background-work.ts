import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { errorMessage } from '../core/errors.js';
import { indexedText } from './chunk.js';
import { JobWorker } from './job-worker.js';
import type { Manifest, SegmentEntry } from './manifest.js';
import type { MemoryOptions } from './memory-options.js';
import { pickMerge } from './merge-policy.js';
import type { Segment } from './segment.js';
import { partialVectorFileName } from './segment-files.js';
import type { MergeResult } from './segment-merge.js';
import type { StoreChange } from './store-commit.js';
import { VectorFileWriter } from './vector-file.js';

export type BackgroundStatus =
  | { state: 'off' | 'idle' }
  | { state: 'working'; task: string }
  | { state: 'paused'; error: string };

/** What the background work needs from the store. */
export interface BackgroundHost {
  readonly dir: string;
  readonly options: MemoryOptions;
  manifest(): Manifest;
  segment(id: number): Segment | undefined;
  embedderId(): string;
  embedTexts(texts: string[], signal: AbortSignal): Promise<Float32Array[]>;
  allocateSegmentId(): number;
  commit(change: StoreChange): void;
  attachAnn(segment: number, file: string): void;
}

/**
 * The store's background work, one task at a time, most useful first:
 * make missing vectors (remote embedder, or after re-embedding), merge
 * segments (LSM), build HNSW graphs for big segments. Merges and graphs
 * run in a worker thread; embedding is I/O. An error pauses the work
 * (status says why) until `kick(true)`; searches are never affected.
 */
export class BackgroundWork {
  private running: Promise<void> | undefined;
  private again = false;
  private paused: string | undefined;
  private task: string | undefined;
  private stopping = false;
  private readonly abort = new AbortController();
  private readonly worker = new JobWorker();

  constructor(private readonly host: BackgroundHost) {}

  kick(resume: boolean): void {
    if (resume) this.paused = undefined;
    if (this.stopping || this.paused) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort(new Error('the memory store is closing'));
    await this.running?.catch(() => undefined);
    await this.worker.terminate();
  }

  status(): BackgroundStatus {
    if (this.paused) return { state: 'paused', error: this.paused };
    if (this.task) return { state: 'working', task: this.task };
    return { state: 'idle' };
  }

  private async loop() {
    do {
      this.again = false;
      for (;;) {
        if (this.stopping || this.paused) return;
        const next = this.plan();
        if (!next) break;
        this.task = next.name;
        try {
          await next.run();
        } catch (error) {
          if (!this.stopping) this.paused = `${next.name}: ${errorMessage(error)}`;
        } finally {
          this.task = undefined;
        }
      }
    } while (this.again);
  }

  private plan(): { name: string; run: () => Promise<void> } | undefined {
    const manifest = this.host.manifest();
    const { options } = this.host;
    const missing = manifest.segments.find((s) => s.vectors === undefined);
    if (missing) return { name: `embedding segment ${missing.id}`, run: () => this.embed(missing) };
    const live = (id: number) => this.host.segment(id)?.liveDocs ?? 0;
    const merge = pickMerge(manifest.segments, options.mergeFactor, options.segmentChunks, live);
    if (merge)
      return { name: `merging segments ${merge.map((s) => s.id).join(', ')}`, run: () => this.merge(merge) };
    const big = manifest.segments.find((s) => s.hnsw === undefined && s.docs >= options.hnswMinChunks);
    if (big) return { name: `building the HNSW graph of segment ${big.id}`, run: () => this.graph(big) };
    return undefined;
  }

  /** Embeds a segment's chunks batch by batch, keeping progress in a partial file so a failure loses little. */
  private async embed(entry: SegmentEntry) {
    const segment = this.host.segment(entry.id);
    if (!segment) return;
    const embedderId = this.host.embedderId();
    const partial = join(this.host.dir, partialVectorFileName(entry.id, embedderId));
    const progress = openPartial(partial);
    try {
      for (let from = progress.rows; from < segment.docs; from += this.host.options.embedBatch) {
        const to = Math.min(segment.docs, from + this.host.options.embedBatch);
        const texts: string[] = [];
        for (let doc = from; doc < to; doc++) {
          const chunk = segment.chunk(doc);
          texts.push(indexedText(chunk.path, chunk.symbol, chunk.text));
        }
        const vectors = await this.host.embedTexts(texts, this.abort.signal);
        if (this.host.segment(entry.id) !== segment) return;
        progress.append(vectors);
        await yieldToLoop();
      }
      if (progress.dims === 0) return;
      const writer = new VectorFileWriter(this.host.dir, entry.id, embedderId, segment.docs, progress.dims);
      for (let from = 0; from < segment.docs; from += 4096)
        writer.add(progress.read(from, Math.min(segment.docs, from + 4096)));
      const written = writer.finish();
      this.host.commit({ vectors: { segment: entry.id, file: written.file } });
    } finally {
      progress.close();
    }
    rmSync(partial, { force: true });
  }

  private async merge(inputs: SegmentEntry[]) {
    const outputId = this.host.allocateSegmentId();
    const result = await this.worker.run<MergeResult>({
      type: 'merge',
      dir: this.host.dir,
      inputs,
      outputId,
      embedderId: this.host.embedderId(),
    });
    const current = this.host.manifest().segments;
    if (!inputs.every((input) => current.some((s) => s.id === input.id && s.file === input.file))) {
      // an input went away while merging (all its files deleted): its chunks must not come back
      removeOutput(this.host.dir, result);
      return;
    }
    this.host.commit({
      merged: { inputs: inputs.map((s) => s.id), output: result.output, origin: result.origin },
    });
  }

  private async graph(entry: SegmentEntry) {
    const file = await this.worker.run<string>({
      type: 'hnsw',
      dir: this.host.dir,
      entry,
      embedderId: this.host.embedderId(),
    });
    const current = this.host.manifest().segments.find((s) => s.id === entry.id);
    if (!current || current.vectors !== entry.vectors) {
      rmSync(join(this.host.dir, file), { force: true });
      return;
    }
    this.host.commit({ hnsw: { segment: entry.id, file } });
    this.host.attachAnn(entry.id, file);
  }
}

function removeOutput(dir: string, result: MergeResult) {
  rmSync(join(dir, result.output.file), { force: true });
  if (result.output.vectors) rmSync(join(dir, result.output.vectors), { force: true });
}

/**
 * The vectors received so far for one segment: a 4-byte dimension count,
 * then float32 rows. A torn last row (crash mid-append) is cut off on open.
 */
function openPartial(path: string) {
  const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
  let dims = 0;
  let rows = 0;
  const size = fstatSync(fd).size;
  if (size >= 4) {
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    dims = head.readUInt32LE(0);
    rows = dims > 0 ? Math.floor((size - 4) / (dims * 4)) : 0;
    ftruncateSync(fd, 4 + rows * dims * 4);
  }
  return {
    get dims() {
      return dims;
    },
    get rows() {
      return rows;
    },
    append(vectors: readonly Float32Array[]) {
      if (vectors.length === 0) return;
      if (dims === 0) {
        dims = vectors[0]!.length;
        const head = Buffer.alloc(4);
        head.writeUInt32LE(dims);
        writeSync(fd, head, 0, 4, 0);
      }
      for (const vector of vectors) {
        if (vector.length !== dims)
          throw new Error(`the embedder returned ${vector.length} dimensions, expected ${dims}`);
        const bytes = new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
        writeSync(fd, bytes, 0, bytes.byteLength, 4 + rows * dims * 4);
        rows++;
      }
      fsyncSync(fd);
    },
    read(from: number, to: number): Float32Array {
      const out = new Float32Array((to - from) * dims);
      readSync(fd, new Uint8Array(out.buffer), 0, out.byteLength, 4 + from * dims * 4);
      return out;
    },
    close() {
      closeSync(fd);
    },
  };
}
