import { describe, expect, it } from 'vitest';
import type { ChunkDraft } from './chunk.js';
import { chunkText, TextChunker } from './text-chunker.js';
import { estimateTokens } from './token-estimate.js';

const options = { maxTokens: 64, overlapTokens: 12 };
const paragraph = (n: number) =>
  `Paragraph ${n} talks about wings, lift and drag at speed ${n}. It has a second sentence here.\n`;
const text = Array.from({ length: 40 }, (_, i) => paragraph(i)).join('\n');

describe('chunkText', () => {
  const chunks = chunkText(text, options);

  it('keeps every chunk within the budget and covers the whole text', () => {
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(estimateTokens(chunk.text)).toBeLessThanOrEqual(options.maxTokens);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(text.trimEnd().length);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeLessThanOrEqual(chunks[i - 1]!.end);
  });

  it('records where each chunk is: its offsets and lines point at its text', () => {
    for (const chunk of chunks) {
      expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
      const line = text.slice(0, chunk.start).split('\n').length;
      expect(chunk.startLine).toBe(line);
      expect(chunk.endLine).toBe(line + chunk.text.split('\n').length - 1);
    }
  });

  it('prefers to end at a paragraph and repeats the end of the previous chunk', () => {
    const ends = chunks.slice(0, -1).filter((c) => text.slice(c.end, c.end + 2).startsWith('\n'));
    expect(ends.length).toBeGreaterThan(chunks.length / 2);
    const overlapping = chunks.slice(1).filter((c, i) => c.start < chunks[i]!.end);
    expect(overlapping.length).toBeGreaterThan(0);
  });

  it('cuts the same chunks whether the text arrives whole or in small pieces', () => {
    const streamed: ChunkDraft[] = [];
    const chunker = new TextChunker(options, (chunk) => streamed.push(chunk));
    for (let i = 0; i < text.length; i += 97) chunker.push(text.slice(i, i + 97));
    chunker.end();
    expect(streamed).toEqual(chunks);
  });

  it('cuts a single line with no spaces at all', () => {
    const blob = 'y'.repeat(20_000);
    const cut = chunkText(blob, { maxTokens: 100, overlapTokens: 0 });
    expect(cut.length).toBeGreaterThan(10);
    expect(cut.map((c) => c.text).join('')).toBe(blob);
  });

  it('returns nothing for empty or blank text', () => {
    expect(chunkText('', options)).toEqual([]);
    expect(chunkText(' \n\n\t', options)).toEqual([]);
  });
});
