import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PidLock } from '../../core/pid-lock.js';
import { termsOf } from '../analyzer.js';
import { type BackgroundHost, BackgroundWork } from '../background-work.js';
import type { ChunkOptions } from '../chunk.js';
import type { DocumentFrequencies } from '../document-frequencies.js';
import { MemoryLockedError } from '../errors.js';
import { HashedEmbedder } from '../hashed-embedder.js';
import { HttpEmbedder } from '../http-embedder.js';
import {
  Ingestion,
  type IngestOptions,
  type IngestReport,
  type IngestTarget,
  type TextDocument,
} from '../ingest.js';
import { embedderId, type Manifest, readManifest, writeManifest } from '../manifest.js';
import { type MemoryOptions, type MemoryOptionsInput, parseMemoryOptions } from '../memory-options.js';
import { parseSearchRequest, type SearchRequestInput, type SearchResult } from '../search-request.js';
import type { VectorBatch } from '../segment.js';
import { SegmentBuilder } from '../segment-builder.js';
import { searchSnapshot } from '../segment-search.js';
import { SegmentSet } from '../segment-set.js';
import { type CatalogEntry, SourceCatalog } from '../source-catalog.js';
import type { SourceRecord } from '../source-record.js';
import { applyChange, type StoreChange } from '../store-commit.js';
import {
  collectGarbage,
  countFrequencies,
  deleteSegmentFiles,
  loadFrequencies,
  prepareManifest,
  writeFrequencies,
} from '../store-files.js';
import { DEFAULT_VECTOR_OPTIONS, type VectorSearchOptions } from '../vector-search.js';
import type { MemoryChange, MemoryStats } from './memory-stats.js';
import { FREQUENCIES_EVERY } from './memory-stats.js';

/**
 * Swarm's memory: segment-sharded retrieval over files and documents.
 * Ingest writes immutable segments and commits each by rewriting the
 * manifest atomically; searches read a snapshot of the segments and never
 * wait for ingest; merges, remote embeddings and HNSW graphs are made in
 * the background. One writer per directory (a lock file); any number of
 * read-only openers.
 */
export class MemoryStore {
  readonly dir: string;
  readonly root: string;
  readonly chunking: ChunkOptions;
  catalog: SourceCatalog;
  private manifest: Manifest;
  private readonly set: SegmentSet;
  private readonly vectorOptions: VectorSearchOptions;
  private readonly hashed: { embedder: HashedEmbedder; df: DocumentFrequencies; id: string } | undefined;
  private readonly remote: HttpEmbedder | undefined;
  private current: SegmentBuilder | undefined;
  private readonly forgotten = new Map<number, number[]>();
  private readonly listeners = new Set<(change: MemoryChange) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private sealsSinceFrequencies = 0;
  /** Segment ids are handed out here (ingest and merges both need them) and persisted by the next commit. */
  private nextId: number;
  private readonly background: BackgroundWork | undefined;
  private closed = false;

  private constructor(
    readonly options: MemoryOptions,
    manifest: Manifest,
    private readonly lock: PidLock | undefined,
  ) {
    this.dir = resolve(options.dir);
    this.root = resolve(options.root ?? process.cwd());
    this.chunking = options.chunking;
    this.manifest = manifest;
    this.nextId = manifest.nextSegment;
    this.set = new SegmentSet(this.dir, () => embedderId(this.manifest.embedder));
    this.vectorOptions = { ...DEFAULT_VECTOR_OPTIONS, ...options.vectorSearch };
    const spec = manifest.embedder;
    if (spec.type === 'hashed') {
      this.hashed = {
        embedder: new HashedEmbedder(spec.dims),
        df: loadFrequencies(this.dir, manifest),
        id: embedderId(spec),
      };
      this.remote = undefined;
    } else {
      this.hashed = undefined;
      this.remote = new HttpEmbedder({
        ...spec,
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        retry: options.retry,
      });
    }
    this.set.open(manifest);
    this.catalog = SourceCatalog.from(this.set.segments);
    this.background = lock && options.background ? new BackgroundWork(this.backgroundHost()) : undefined;
  }

  static async open(input: MemoryOptionsInput): Promise<MemoryStore> {
    const options = parseMemoryOptions(input);
    const dir = resolve(options.dir);
    if (!options.readOnly) mkdirSync(dir, { recursive: true });
    const lock = options.readOnly
      ? undefined
      : PidLock.acquire(join(dir, 'LOCK'), (pid) => new MemoryLockedError(dir, pid));
    for (let attempt = 1; ; attempt++) {
      let manifest: Manifest | undefined;
      try {
        manifest = prepareManifest(dir, options, lock !== undefined);
        const store = new MemoryStore(options, manifest, lock);
        if (lock) {
          store.recover();
          store.background?.kick(false);
        }
        return store;
      } catch (error) {
        // a reader can lose a race with the writer, which deletes files a newer manifest no longer names
        const moved = manifest !== undefined && readManifest(dir)?.generation !== manifest.generation;
        if (!lock && moved && attempt < 3) continue;
        lock?.release();
        throw error;
      }
    }
  }

  /** Ingests files and directories; unchanged files cost a stat. One ingest at a time per store. */
  ingest(paths: readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
    return this.serialized(() => new Ingestion(this.ingestTarget(), options).files(paths));
  }

  /** Ingests documents that are not files (run transcripts, lessons, tool descriptions) under virtual paths. */
  ingestDocuments(documents: readonly TextDocument[], options: IngestOptions = {}): Promise<IngestReport> {
    return this.serialized(() => new Ingestion(this.ingestTarget(), options).documents(documents));
  }

  /** Deletes stored files (or everything under stored directories); returns how many files went. */
  remove(paths: readonly string[]): Promise<number> {
    return this.serialized(async () => {
      let removed = 0;
      for (const path of [...this.catalog.paths()]) {
        if (!paths.some((p) => path === p || path.startsWith(`${p.replace(/\/+$/, '')}/`))) continue;
        this.forget(this.catalog.get(path)!);
        removed++;
      }
      this.flush(true);
      return removed;
    });
  }

  async search(input: SearchRequestInput): Promise<SearchResult> {
    const started = performance.now();
    const request = parseSearchRequest(input);
    const terms = termsOf(request.query);
    let vector: Float32Array | undefined;
    let failure: string | undefined;
    if (request.mode !== 'bm25') {
      try {
        vector = await this.embedQuery(request.query);
      } catch (error) {
        if (request.mode === 'vector') throw error;
        failure = `vector search skipped: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    const snapshot = { segments: this.set.segments, ann: this.set.ann };
    const result = searchSnapshot(snapshot, request, terms, vector, this.vectorOptions);
    return {
      query: request.query,
      ...result,
      ...(failure ? { notice: failure } : {}),
      tookMs: performance.now() - started,
    };
  }

  /** The stored vectors of chunks by id (`segment:doc`); undefined where none is made yet or the id is stale. */
  vectorsOf(ids: readonly string[]): (Float32Array | undefined)[] {
    return ids.map((id) => {
      const [segmentId, doc] = id.split(':').map(Number);
      const vectors = segmentId === undefined ? undefined : this.set.find(segmentId)?.vectors;
      if (!vectors || doc === undefined || !(doc < vectors.docs)) return undefined;
      return vectors.exact(doc, new Float32Array(vectors.dims));
    });
  }

  /** The live chunks' vectors, segment by segment, for evaluation and export (read from disk). */
  *vectorBatches(): Generator<VectorBatch> {
    for (const segment of this.set.segments) yield* segment.vectorBatches();
  }

  /** The query's vector with the store's embedder (zero when it has no features). */
  async embedQuery(text: string): Promise<Float32Array> {
    if (this.hashed) return this.hashed.embedder.embedText(text, this.hashed.df);
    const [vector] = await this.remote!.embed([text]);
    return vector!;
  }

  stats(): MemoryStats {
    const segments = this.set.segments;
    const chunks = segments.reduce((sum, s) => sum + s.liveDocs, 0);
    const total = segments.reduce((sum, s) => sum + s.docs, 0);
    return {
      dir: this.dir,
      embedder: embedderId(this.manifest.embedder),
      generation: this.manifest.generation,
      files: this.catalog.size,
      segments: segments.length,
      chunks,
      deletedChunks: total - chunks,
      tokens: segments.reduce((sum, s) => sum + s.tokens, 0),
      diskBytes: this.manifest.segments.reduce((sum, s) => sum + s.bytes, 0),
      memoryBytes: segments.reduce((sum, s) => sum + s.memoryBytes(), 0),
      vectorChunks: segments.reduce((sum, s) => sum + (s.vectors ? s.liveDocs : 0), 0),
      hnswSegments: this.set.ann.size,
      background: this.background?.status() ?? { state: 'off' },
    };
  }

  onChange(listener: (change: MemoryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when background work (merges, embeddings, graphs) has nothing left to do. */
  async idle(): Promise<void> {
    await this.queue;
    await this.background?.idle();
  }

  /** Starts background work again after it paused on an error (an embeddings endpoint that was down). */
  resumeBackground(): void {
    this.background?.kick(true);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.background?.stop();
    this.set.close();
    this.lock?.release();
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the memory store is closed'));
    if (!this.lock) return Promise.reject(new Error('the memory store was opened read-only'));
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run.finally(() => this.background?.kick(false));
  }

  private ingestTarget(): IngestTarget {
    const store = this;
    return {
      root: this.root,
      chunking: this.chunking,
      // a getter: commits replace the catalog while an ingest runs
      get catalog() {
        return store.catalog;
      },
      builder: () => {
        this.current ??= new SegmentBuilder(this.hashed, {
          maxDocs: this.options.segmentChunks,
          maxTextChars: this.options.segmentChunks * 3072,
          maxFeatures: this.options.segmentChunks * 512,
        });
        return this.current;
      },
      flush: (force: boolean) => this.flush(force),
      forget: (entry: CatalogEntry) => this.forget(entry),
    };
  }

  private forget(entry: CatalogEntry) {
    for (const { segment, record } of entry.locations) {
      const list = this.forgotten.get(segment) ?? [];
      list.push(record);
      this.forgotten.set(segment, list);
    }
    this.catalog.delete(entry.path);
  }

  private flush(force: boolean) {
    const builder = this.current;
    const change: StoreChange = {};
    if (builder && builder.docs > 0 && (force || builder.full)) {
      // the builder is kept: its buffers serve the next segment
      change.sealed = builder.seal(this.dir, this.nextId++);
      this.sealsSinceFrequencies++;
    }
    // a replaced file's old version goes in the same commit as its new one, never before
    if (this.forgotten.size > 0 && (change.sealed || force)) change.forget = new Map(this.forgotten);
    if (
      this.hashed &&
      (force || this.sealsSinceFrequencies >= FREQUENCIES_EVERY) &&
      this.sealsSinceFrequencies > 0
    ) {
      change.frequencies = this.writeFrequencies(change.sealed?.id);
    }
    if (change.sealed || change.forget || change.frequencies) this.commit(change);
  }

  /** Applies a change: manifest first (the commit point), then what is held in memory, then listeners. */
  commit(change: StoreChange): void {
    const fresh = [change.sealed, change.merged?.output].filter((s) => s !== undefined);
    const sourcesOf = (id: number): readonly SourceRecord[] =>
      fresh.find((s) => s.id === id)?.sources ?? this.set.find(id)?.sources ?? [];
    const previous = this.manifest;
    const applied = applyChange(previous, change, sourcesOf);
    writeManifest(this.dir, applied.next);
    this.manifest = applied.next;
    if (change.forget) this.forgotten.clear();

    this.set.reconcile(applied.next);
    for (const entry of applied.droppedSegments) deleteSegmentFiles(this.dir, entry.id);
    const oldFrequencies = previous.frequencies?.file;
    if (oldFrequencies && oldFrequencies !== applied.next.frequencies?.file) {
      rmSync(join(this.dir, oldFrequencies), { force: true });
    }
    if (change.sealed || change.merged) this.catalog = SourceCatalog.from(this.set.segments);
    const event = {
      generation: applied.next.generation,
      removedSources: applied.removedSources,
      addedSources: applied.addedSources,
      changedSegments: [
        ...new Set([...(change.forget?.keys() ?? []), ...applied.droppedSegments.map((s) => s.id)]),
      ],
    };
    for (const listener of this.listeners) listener(event);
    // vectors for a new segment are made while ingest goes on, not after it
    if (change.sealed) this.background?.kick(false);
  }

  private writeFrequencies(pending?: number): { file: string; segments: number[] } {
    const file = writeFrequencies(this.dir, this.hashed!.df, this.manifest.generation + 1);
    this.sealsSinceFrequencies = 0;
    const segments = this.set.segments.map((s) => s.id);
    if (pending !== undefined) segments.push(pending);
    return { file, segments };
  }

  /**
   * After a crash: count the features of segments sealed after the last
   * frequency table was written, delete versions superseded but still
   * live, and remove files no commit refers to (a half-written segment).
   */
  private recover() {
    const change: StoreChange = {};
    if (this.hashed) {
      const covered = new Set(this.manifest.frequencies?.segments ?? []);
      const missing = this.set.segments.filter((s) => !covered.has(s.id));
      if (missing.length > 0) {
        countFrequencies(missing, this.hashed.df);
        this.sealsSinceFrequencies = 1;
        change.frequencies = this.writeFrequencies();
      }
    }
    for (const { segment, record } of this.catalog.stale) {
      const list = this.forgotten.get(segment) ?? [];
      list.push(record);
      this.forgotten.set(segment, list);
    }
    if (this.forgotten.size > 0) change.forget = new Map(this.forgotten);
    const onDisk = readManifest(this.dir);
    const switched =
      onDisk !== undefined && embedderId(onDisk.embedder) !== embedderId(this.manifest.embedder);
    if (change.frequencies || change.forget || !onDisk || switched) this.commit(change);
    collectGarbage(this.dir, this.manifest);
  }

  private backgroundHost(): BackgroundHost {
    return {
      dir: this.dir,
      options: this.options,
      manifest: () => this.manifest,
      segment: (id) => this.set.find(id),
      embedderId: () => embedderId(this.manifest.embedder),
      embedTexts: async (texts, signal) => {
        const hashed = this.hashed;
        if (hashed) return texts.map((text) => hashed.embedder.embedText(text, hashed.df));
        return this.remote!.embed(texts, signal);
      },
      allocateSegmentId: () => this.nextId++,
      commit: (change) => this.commit(change),
      attachAnn: (id, file) => this.set.attachGraph(id, file),
    };
  }
}
