import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ChunkDraft, ChunkOptions, DocKind } from './chunk.js';
import { chunkCode } from './code-chunker.js';
import { docTypeOf } from './document-kind.js';
import { contentHash } from './hash.js';
import { chunkMarkdown } from './markdown-chunker.js';
import type { SegmentBuilder, SourceStart } from './segment-builder.js';
import type { CatalogEntry, SourceCatalog } from './source-catalog.js';
import { type FoundFile, findFiles, readSource, relPath, STREAM_PIECE, stripBom } from './source-files.js';
import { chunkText, TextChunker } from './text-chunker.js';
import { estimateTokens } from './token-estimate.js';

const YIELD_EVERY_MS = 20;

/** What ingest needs from the store. */
export interface IngestTarget {
  readonly root: string;
  readonly chunking: ChunkOptions;
  readonly catalog: SourceCatalog;
  builder(): SegmentBuilder;
  /** Seals and commits the current segment when it is full, or whenever `force`. */
  flush(force: boolean): void;
  /** Deletes a file's stored version at the next commit. */
  forget(entry: CatalogEntry): void;
}

export interface IngestOptions {
  /** Collection name for filters (`docs`, `runs`); default `files`. */
  source?: string;
  tenant?: string;
  /** Also delete stored files under the given directories that no longer exist. */
  prune?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  files: number;
  changed: number;
  unchanged: number;
  skipped: number;
  removed: number;
  chunks: number;
  /** Estimated tokens of the text read (overlap not counted twice). */
  tokens: number;
  bytes: number;
  elapsedMs: number;
  path?: string;
}

export interface IngestReport extends IngestProgress {
  skippedFiles: { path: string; reason: string }[];
  tokensPerSecond: number;
}

/** A document that is not a file (a run transcript, a lesson): ingested under a virtual path. */
export interface TextDocument {
  path: string;
  text: string;
  kind?: DocKind;
  language?: string;
}

/**
 * Walks, reads, chunks and indexes files. Unchanged files (same size and
 * mtime, or same content hash) cost a `stat` or a hash, nothing more; a
 * changed file replaces its old version in the same commit that adds the
 * new one; files past 8 MiB are streamed in 1 MiB pieces, and a streamed
 * file cut short by a crash or Ctrl-C resumes where its last committed
 * segment ended.
 */
export class Ingestion {
  private readonly started = performance.now();
  readonly report: IngestReport = {
    files: 0,
    changed: 0,
    unchanged: 0,
    skipped: 0,
    removed: 0,
    chunks: 0,
    tokens: 0,
    bytes: 0,
    elapsedMs: 0,
    skippedFiles: [],
    tokensPerSecond: 0,
  };

  constructor(
    private readonly target: IngestTarget,
    private readonly options: IngestOptions,
  ) {}

  async files(paths: readonly string[]): Promise<IngestReport> {
    const seen = new Set<string>();
    let yielded = performance.now();
    for (const file of findFiles(paths, this.target.root)) {
      this.options.signal?.throwIfAborted();
      seen.add(file.rel);
      await this.file(file);
      // let searches (and Ctrl-C) in between files, without paying a turn of the event loop per file
      if (performance.now() - yielded > YIELD_EVERY_MS) {
        await yieldToLoop();
        yielded = performance.now();
      }
    }
    if (this.options.prune) this.prune(paths, seen);
    return this.finish();
  }

  async documents(documents: readonly TextDocument[]): Promise<IngestReport> {
    for (const doc of documents) {
      this.options.signal?.throwIfAborted();
      const hash = contentHash(doc.text);
      const existing = this.target.catalog.get(doc.path);
      this.report.files++;
      if (existing?.complete && existing.hash === hash) {
        this.report.unchanged++;
        continue;
      }
      if (existing) this.target.forget(existing);
      const type = doc.kind ? { kind: doc.kind, language: doc.language } : docTypeOf(doc.path);
      const size = Buffer.byteLength(doc.text);
      await this.whole({ path: doc.path, hash, size, mtimeMs: 0, ...this.meta(type) }, doc.text);
    }
    return this.finish();
  }

  private finish(): IngestReport {
    this.target.flush(true);
    this.progress(undefined);
    const seconds = this.report.elapsedMs / 1000;
    this.report.tokensPerSecond = seconds > 0 ? Math.round(this.report.tokens / seconds) : 0;
    return this.report;
  }

  private async file(file: FoundFile) {
    const { catalog } = this.target;
    this.report.files++;
    const existing = catalog.get(file.rel);
    if (existing?.complete && existing.size === file.size && existing.mtimeMs === file.mtimeMs) {
      this.report.unchanged++;
      return;
    }
    const read = await readSource(file);
    if (read.type === 'skip') {
      this.report.skipped++;
      this.report.skippedFiles.push({ path: file.rel, reason: read.reason });
      return;
    }
    if (existing?.complete && existing.hash === read.hash) {
      this.report.unchanged++;
      return;
    }
    const resume =
      existing && !existing.complete && existing.hash === read.hash ? existing.resume : undefined;
    if (existing && !resume) this.target.forget(existing);
    const meta = {
      path: file.rel,
      hash: read.hash,
      size: file.size,
      mtimeMs: file.mtimeMs,
      ...this.meta(docTypeOf(file.rel)),
    };
    if (read.type === 'text') await this.whole(meta, read.text);
    else await this.stream(file, meta, resume);
  }

  private meta(type: { kind: DocKind; language?: string | undefined }) {
    return {
      kind: type.kind,
      ...(type.language ? { language: type.language } : {}),
      source: this.options.source ?? 'files',
      tenant: this.options.tenant ?? 'default',
    };
  }

  private async whole(meta: SourceStart, text: string) {
    const { chunking } = this.target;
    let drafts: ChunkDraft[];
    if (meta.kind === 'code') drafts = await chunkCode(text, meta.language, chunking);
    else if (meta.kind === 'markdown') drafts = chunkMarkdown(text, chunking);
    else drafts = chunkText(text, chunking);
    const builder = this.target.builder();
    builder.beginSource(meta);
    for (const draft of drafts) builder.addChunk(draft);
    builder.endSource(true);
    this.report.changed++;
    this.report.chunks += drafts.length;
    this.report.tokens += estimateTokens(text);
    this.report.bytes += meta.size;
    this.target.flush(false);
    this.progress(meta.path);
  }

  private async stream(file: FoundFile, meta: SourceStart, resume: CatalogEntry['resume']) {
    const handle = await open(file.abs, 'r');
    try {
      let position = resume?.byte ?? 0;
      let decodedBytes = position;
      const decoder = new StringDecoder('utf8');
      const chunker = new TextChunker(
        this.target.chunking,
        (draft) => {
          this.target.builder().addChunk(draft);
          this.report.chunks++;
        },
        resume ? { char: resume.char, line: resume.line } : undefined,
      );
      this.target.builder().beginSource(meta);
      const piece = Buffer.allocUnsafe(STREAM_PIECE);
      for (;;) {
        if (this.options.signal?.aborted) {
          // keep what is done: the next ingest resumes from here
          this.target.builder().endSource(false, where(chunker, decodedBytes));
          this.target.flush(true);
          this.options.signal.throwIfAborted();
        }
        const { bytesRead } = await handle.read(piece, 0, STREAM_PIECE, position);
        let text = bytesRead === 0 ? decoder.end() : decoder.write(piece.subarray(0, bytesRead));
        if (position === 0 && text.charCodeAt(0) === 0xfeff) {
          text = stripBom(text);
          decodedBytes += 3;
        }
        position += bytesRead;
        decodedBytes += Buffer.byteLength(text);
        chunker.push(text);
        this.report.tokens += estimateTokens(text);
        this.report.bytes += bytesRead;
        if (bytesRead === 0) break;
        if (this.target.builder().full) {
          this.target.builder().endSource(false, where(chunker, decodedBytes));
          this.target.flush(false);
          this.target.builder().beginSource(meta);
        }
        this.progress(meta.path);
      }
      chunker.end();
      this.target.builder().endSource(true);
      this.report.changed++;
      this.target.flush(false);
    } finally {
      await handle.close();
    }
  }

  private prune(paths: readonly string[], seen: ReadonlySet<string>) {
    const { catalog, root } = this.target;
    const prefixes = paths.map((p) => relPath(root, resolve(p))).map((rel) => (rel === '.' ? '' : `${rel}/`));
    for (const path of [...catalog.paths()]) {
      if (seen.has(path) || !prefixes.some((prefix) => path.startsWith(prefix))) continue;
      const entry = catalog.get(path);
      if (entry) this.target.forget(entry);
      this.report.removed++;
    }
  }

  private progress(path: string | undefined) {
    this.report.elapsedMs = performance.now() - this.started;
    this.options.onProgress?.({ ...this.report, ...(path ? { path } : {}) });
  }
}

/** The resume point of a stream: the next chunk's start, in bytes, characters and lines. */
function where(chunker: TextChunker, decodedBytes: number) {
  const { char, line } = chunker.position;
  return { byte: decodedBytes - chunker.pendingBytes, char, line };
}
