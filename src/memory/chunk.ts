import { z } from 'zod';

/** What a document is, which decides how it is cut and lets a search ask for one kind. */
export const DOC_KINDS = ['code', 'markdown', 'text'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/** A piece of a document as a chunker cut it, before it is indexed. */
export interface ChunkDraft {
  text: string;
  /** UTF-16 offsets into the whole document, end exclusive. */
  start: number;
  end: number;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** Function or class name for code (`Parser.parse`), heading trail for Markdown (`Setup > Linux`). */
  symbol?: string;
  /** Estimated tokens (see token-estimate.ts). */
  tokens: number;
}

export const chunkOptionsSchema = z.strictObject({
  /** Largest chunk, in tokens. */
  maxTokens: z.number().int().min(16).max(8192).default(512),
  /** Tokens a text chunk repeats from the end of the previous one, so a sentence cut in two is found whole. */
  overlapTokens: z.number().int().min(0).max(2048).default(64),
});
export type ChunkOptions = z.output<typeof chunkOptionsSchema>;

/**
 * The text a chunk is indexed and embedded as: its file's path and its
 * symbol (function, heading trail) ahead of its own text, so a search for
 * `merge policy` finds `merge-policy.ts` and a heading finds its section.
 */
export function indexedText(path: string, symbol: string | undefined, text: string): string {
  return symbol ? `${path}\n${symbol}\n${text}` : `${path}\n${text}`;
}

/** Line number (1-based) of offsets that only move forward: each newline is counted once. */
export class LineCursor {
  private position = 0;
  private line: number;
  /** The first newline at or after `position` (-1: none left), so a long line is scanned once, not per call. */
  private next: number;

  constructor(
    private readonly text: string,
    firstLine = 1,
  ) {
    this.line = firstLine;
    this.next = text.indexOf('\n');
  }

  at(offset: number): number {
    if (offset < this.position) throw new RangeError('LineCursor only moves forward');
    while (this.next !== -1 && this.next < offset) {
      this.line++;
      this.next = this.text.indexOf('\n', this.next + 1);
    }
    this.position = offset;
    return this.line;
  }
}
