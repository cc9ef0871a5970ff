import { type ChunkDraft, type ChunkOptions, LineCursor } from './chunk.js';
import { advanceTokens, estimateTokens } from './token-estimate.js';

/** Where a streamed document stands: what the next chunk would start at. */
export interface StreamPosition {
  char: number;
  line: number;
}

/**
 * Cuts prose (or anything without a better structure) into chunks of at
 * most `maxTokens` estimated tokens, preferring to end at a paragraph, then
 * a line, a sentence, a word; each chunk repeats about `overlapTokens` of
 * the previous one. Text can arrive in pieces (`push`) so a file of any size
 * is cut with memory bounded by the piece size: only the unfinished tail is
 * kept between pieces.
 */
export class TextChunker {
  private pending = '';
  /** Offset of `pending[0]` in the whole document. */
  private base: number;
  private line: number;

  constructor(
    private readonly options: ChunkOptions,
    private readonly emit: (chunk: ChunkDraft) => void,
    from: StreamPosition = { char: 0, line: 1 },
    private readonly symbol?: string,
  ) {
    this.base = from.char;
    this.line = from.line;
  }

  /** The start of the chunk that would come next: a safe place to resume from. */
  get position(): StreamPosition {
    return { char: this.base, line: this.line };
  }

  /** UTF-8 bytes received but not yet part of a chunk start: the stream position is this far behind. */
  get pendingBytes(): number {
    return Buffer.byteLength(this.pending);
  }

  push(text: string): void {
    this.pending = this.pending.length === 0 ? text : this.pending + text;
    this.cut(false);
  }

  end(): void {
    this.cut(true);
    this.pending = '';
  }

  private cut(final: boolean) {
    const text = this.pending;
    const n = text.length;
    const { maxTokens, overlapTokens } = this.options;
    const starts = new LineCursor(text, this.line);
    const ends = new LineCursor(text, this.line);
    let pos = skipSpace(text, 0, n);
    while (pos < n) {
      const hardEnd = advanceTokens(text, pos, maxTokens, n);
      // without the rest of the document a cut at the end of what we have may not be the best one
      if (hardEnd >= n && !final) break;
      const end = hardEnd >= n ? n : bestBreak(text, pos, hardEnd);
      const body = trimEnd(text, pos, end);
      if (body > pos) {
        const startLine = starts.at(pos);
        this.emit({
          text: text.slice(pos, body),
          start: this.base + pos,
          end: this.base + body,
          startLine,
          endLine: ends.at(body),
          tokens: estimateTokens(text, pos, body),
          ...(this.symbol === undefined ? {} : { symbol: this.symbol }),
        });
      }
      if (end >= n) {
        pos = n;
        break;
      }
      pos = skipSpace(text, overlapStart(text, pos, end, overlapTokens), n);
    }
    this.line = starts.at(Math.min(pos, n));
    this.pending = text.slice(pos);
    this.base += pos;
  }
}

/** Cuts a whole text at once. */
export function chunkText(
  text: string,
  options: ChunkOptions,
  from?: StreamPosition,
  symbol?: string,
): ChunkDraft[] {
  const chunks: ChunkDraft[] = [];
  const chunker = new TextChunker(options, (chunk) => chunks.push(chunk), from, symbol);
  chunker.push(text);
  chunker.end();
  return chunks;
}

/** The best place to end a chunk that may not go past `hardEnd`: in its second half, at the coarsest boundary. */
function bestBreak(text: string, start: number, hardEnd: number): number {
  // one backward pass over the second half only: a search without that bound would rescan a long line per chunk
  const min = start + Math.floor((hardEnd - start) / 2);
  let line = -1;
  let sentence = -1;
  let word = -1;
  for (let i = hardEnd - 1; i > min; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (text.charCodeAt(i - 1) === 10) return i + 1;
      if (line === -1) line = i + 1;
    } else if (c === 32 || c === 9) {
      const prev = text.charCodeAt(i - 1);
      if (sentence === -1 && (prev === 46 || prev === 33 || prev === 63)) sentence = i + 1;
      if (word === -1) word = i + 1;
    }
  }
  if (line !== -1) return line;
  if (sentence !== -1) return sentence;
  return word === -1 ? hardEnd : word;
}

/** Where the next chunk starts so that it repeats about `overlap` tokens: the start of a word, after `start`. */
function overlapStart(text: string, start: number, end: number, overlap: number): number {
  if (overlap === 0) return end;
  const tokens = estimateTokens(text, start, end);
  if (tokens <= overlap * 2) return end;
  const back = Math.floor(((end - start) * overlap) / tokens);
  let i = end - back;
  while (i < end && !isSpace(text.charCodeAt(i - 1))) i++;
  return i > start ? i : end;
}

function skipSpace(text: string, i: number, n: number): number {
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}
