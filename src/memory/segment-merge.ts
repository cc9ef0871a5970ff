import { Growable } from './growable.js';
import type { SegmentEntry } from './manifest.js';
import { Segment } from './segment.js';
import type { SealedSegment } from './segment-builder.js';
import { writeSegment } from './segment-writer.js';
import type { SourceRecord } from './source-record.js';
import { SegmentVectors, VectorFileWriter } from './vector-file.js';

export interface MergeResult {
  output: SealedSegment;
  /** For each output source record: the input segment and record it came from. */
  origin: [number, number][];
}

/**
 * Merges segments into one, leaving out deleted sources: metadata and
 * texts are copied, postings re-sorted, vectors copied row by row (their
 * int8 and bit codes re-derived). Reads and writes files only, so it runs
 * in a worker thread while the store keeps serving the inputs.
 */
export function mergeSegments(
  dir: string,
  inputs: readonly SegmentEntry[],
  outputId: number,
  embedderId: string | undefined,
): MergeResult {
  const segments = inputs.map((entry) => Segment.open(dir, entry));
  const opened: { close(): void }[] = [...segments];
  try {
    const total = segments.reduce((sum, s) => sum + s.liveDocs, 0);
    const out = {
      docSource: new Uint32Array(total),
      docStart: new Float64Array(total),
      docEnd: new Float64Array(total),
      startLine: new Uint32Array(total),
      endLine: new Uint32Array(total),
      docTokens: new Uint32Array(total),
      docLen: new Uint32Array(total),
      simhash: new Uint32Array(total * 2),
      chunkHash: new Uint8Array(total * 16),
      symbolIdx: new Int32Array(total),
      textOffset: new Float64Array(total + 1),
    };
    const sources: SourceRecord[] = [];
    const origin: [number, number][] = [];
    const symbols: string[] = [];
    const symbolIds = new Map<string, number>();
    const texts: Uint8Array[] = [];
    const postTerm = new Growable(Uint32Array, 1 << 16);
    const postDoc = new Growable(Uint32Array, 1 << 16);
    const postTf = new Growable(Uint16Array, 1 << 16);
    const inputVectors =
      embedderId && inputs.every((entry) => entry.vectors)
        ? inputs.map((entry) => SegmentVectors.open(dir, entry.vectors!, embedderId, entry.docs))
        : undefined;
    opened.push(...(inputVectors ?? []));
    const dims = inputVectors?.[0]?.dims ?? 0;
    const vectorWriter =
      inputVectors && embedderId ? new VectorFileWriter(dir, outputId, embedderId, total, dims) : undefined;
    let tokens = 0;
    let next = 0;

    segments.forEach((segment, i) => {
      const map = new Int32Array(segment.docs).fill(-1);
      const vectors = inputVectors?.[i];
      segment.sources.forEach((record, index) => {
        if (segment.deleted.has(index)) return;
        const count = record.docEnd - record.docStart;
        origin.push([segment.id, index]);
        const sourceIndex = sources.length;
        sources.push({ ...record, docStart: next, docEnd: next + count });
        if (count > 0) {
          texts.push(segment.textBytes(record.docStart, record.docEnd));
          vectorWriter?.add(vectors!.rows(record.docStart, record.docEnd));
        }
        for (let doc = record.docStart; doc < record.docEnd; doc++, next++) {
          map[doc] = next;
          out.docSource[next] = sourceIndex;
          out.docStart[next] = segment.docStart[doc]!;
          out.docEnd[next] = segment.docEnd[doc]!;
          out.startLine[next] = segment.startLine[doc]!;
          out.endLine[next] = segment.endLine[doc]!;
          out.docTokens[next] = segment.docTokens[doc]!;
          out.docLen[next] = segment.docLen[doc]!;
          out.simhash[next * 2] = segment.simhash[doc * 2]!;
          out.simhash[next * 2 + 1] = segment.simhash[doc * 2 + 1]!;
          out.chunkHash.set(segment.chunkHash.subarray(doc * 16, doc * 16 + 16), next * 16);
          const symbol = segment.symbolIdx[doc]!;
          out.symbolIdx[next] = symbol < 0 ? -1 : remap(segment.symbols[symbol]!, symbols, symbolIds);
          out.textOffset[next + 1] =
            out.textOffset[next]! + segment.textOffset[doc + 1]! - segment.textOffset[doc]!;
          tokens += segment.docTokens[doc]!;
        }
      });
      for (let t = 0; t < segment.terms.length; t++) {
        const term = segment.terms[t]!;
        for (let p = segment.termStart[t]!; p < segment.termStart[t + 1]!; p++) {
          const doc = map[segment.postDoc[p]!]!;
          if (doc < 0) continue;
          postTerm.push(term);
          postDoc.push(doc);
          postTf.push(segment.postTf[p]!);
        }
      }
    });

    const written = writeSegment(dir, outputId, {
      ...out,
      sources,
      tokens,
      symbols,
      postTerm: postTerm.view(),
      postDoc: postDoc.view(),
      postTf: postTf.view(),
      text: Buffer.concat(texts),
    });
    const output: SealedSegment = {
      id: outputId,
      file: written.file,
      docs: total,
      tokens,
      bytes: written.bytes,
      sources,
    };
    if (vectorWriter) {
      const vectors = vectorWriter.finish();
      output.vectors = vectors.file;
      output.bytes += vectors.bytes;
    }
    return { output, origin };
  } finally {
    for (const item of opened) item.close();
  }
}

function remap(symbol: string, symbols: string[], ids: Map<string, number>): number {
  let id = ids.get(symbol);
  if (id === undefined) {
    id = symbols.length;
    symbols.push(symbol);
    ids.set(symbol, id);
  }
  return id;
}
