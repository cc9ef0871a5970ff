import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { LayoutWriter } from './binary-layout.js';
import { Growable } from './growable.js';
import { radixOrder } from './radix-sort.js';
import { FORMAT, SEGMENT_MAGIC, segmentFileName } from './segment-files.js';
import type { SourceRecord } from './source-record.js';

/** Everything a segment file holds, column by column; postings as unsorted (term, doc, tf) triples. */
export interface SegmentColumns {
  sources: SourceRecord[];
  tokens: number;
  docSource: Uint32Array;
  docStart: Float64Array;
  docEnd: Float64Array;
  startLine: Uint32Array;
  endLine: Uint32Array;
  docTokens: Uint32Array;
  docLen: Uint32Array;
  simhash: Uint32Array;
  chunkHash: Uint8Array;
  symbolIdx: Int32Array;
  symbols: string[];
  postTerm: Uint32Array;
  postDoc: Uint32Array;
  postTf: Uint16Array;
  text: Uint8Array;
  textOffset: Float64Array;
}

/** Sorts the postings by term (stable, so documents stay in order) and writes the segment durably. */
export function writeSegment(
  dir: string,
  id: number,
  columns: SegmentColumns,
): { file: string; bytes: number } {
  const layout = new LayoutWriter(SEGMENT_MAGIC);
  layout.add('docSource', columns.docSource);
  layout.add('docStart', columns.docStart);
  layout.add('docEnd', columns.docEnd);
  layout.add('startLine', columns.startLine);
  layout.add('endLine', columns.endLine);
  layout.add('tokens', columns.docTokens);
  layout.add('docLen', columns.docLen);
  layout.add('simhash', columns.simhash);
  layout.add('chunkHash', columns.chunkHash);
  layout.add('symbolIdx', columns.symbolIdx);
  layout.add('symbols', Buffer.from(JSON.stringify(columns.symbols), 'utf8'));
  addPostings(layout, columns.postTerm, columns.postDoc, columns.postTf);
  layout.add('textOffset', columns.textOffset);
  layout.add('text', columns.text);
  const file = segmentFileName(id);
  const header = {
    format: FORMAT,
    id,
    docs: columns.docSource.length,
    tokens: columns.tokens,
    sources: columns.sources,
  };
  return { file, bytes: writeFileAtomic(join(dir, file), layout.finish(header)) };
}

function addPostings(layout: LayoutWriter, keys: Uint32Array, docs: Uint32Array, tfs: Uint16Array) {
  const count = keys.length;
  const order = radixOrder(keys, count);
  const terms = new Growable(Uint32Array, 1 << 14);
  const termStart = new Growable(Uint32Array, 1 << 14);
  const postDoc = new Uint32Array(count);
  const postTf = new Uint16Array(count);
  let last = -1;
  for (let i = 0; i < count; i++) {
    const index = order[i]!;
    const term = keys[index]!;
    if (term !== last) {
      terms.push(term);
      termStart.push(i);
      last = term;
    }
    postDoc[i] = docs[index]!;
    postTf[i] = tfs[index]!;
  }
  termStart.push(count);
  layout.add('terms', terms.view());
  layout.add('termStart', termStart.view());
  layout.add('postDoc', postDoc);
  layout.add('postTf', postTf);
}
