import type { ChunkDraft, ChunkOptions } from './chunk.js';
import { chunkText } from './text-chunker.js';
import { estimateTokens } from './token-estimate.js';

interface Section {
  /** Offsets of the section, heading line included. */
  start: number;
  end: number;
  startLine: number;
  trail: string;
}

const ATX = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(```|~~~)/;

/**
 * Cuts Markdown at its headings. Each chunk carries its heading trail
 * (`Install > Linux`) as its symbol; neighbouring small sections share a
 * chunk, and a section larger than the budget is cut as text with the same
 * trail. Lines in fenced code blocks are never taken for headings.
 */
export function chunkMarkdown(text: string, options: ChunkOptions): ChunkDraft[] {
  const chunks: ChunkDraft[] = [];
  let group: Section[] = [];
  let groupTokens = 0;

  const flush = () => {
    const first = group[0];
    const last = group.at(-1);
    if (!first || !last) return;
    emitRange(text, first.start, last.end, first.startLine, first.trail, chunks);
    group = [];
    groupTokens = 0;
  };

  for (const section of sections(text)) {
    const tokens = estimateTokens(text, section.start, section.end);
    if (tokens > options.maxTokens) {
      flush();
      const body = text.slice(section.start, section.end);
      const from = { char: section.start, line: section.startLine };
      for (const chunk of chunkText(body, options, from, section.trail || undefined)) chunks.push(chunk);
      continue;
    }
    if (groupTokens + tokens > options.maxTokens) flush();
    group.push(section);
    groupTokens += tokens;
  }
  flush();
  return chunks;
}

function emitRange(text: string, start: number, end: number, line: number, trail: string, out: ChunkDraft[]) {
  let s = start;
  while (s < end && /\s/.test(text[s]!)) {
    if (text[s] === '\n') line++;
    s++;
  }
  let e = end;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  if (e <= s) return;
  const body = text.slice(s, e);
  let endLine = line;
  for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) endLine++;
  out.push({
    text: body,
    start: s,
    end: e,
    startLine: line,
    endLine,
    tokens: estimateTokens(text, s, e),
    ...(trail ? { symbol: trail } : {}),
  });
}

function sections(text: string): Section[] {
  const out: Section[] = [];
  const trail: string[] = [];
  let fence: string | undefined;
  let current: Section = { start: 0, end: text.length, startLine: 1, trail: '' };
  let offset = 0;
  let lineNo = 1;
  let prevLine: { start: number; text: string } | undefined;

  const open = (start: number, startLine: number, level: number, title: string) => {
    current.end = start;
    if (current.end > current.start) out.push(current);
    trail.length = level - 1;
    trail[level - 1] = title.trim();
    current = { start, end: text.length, startLine, trail: trail.filter(Boolean).join(' > ') };
  };

  while (offset <= text.length) {
    const nl = text.indexOf('\n', offset);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(offset, lineEnd).replace(/\r$/, '');
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence) {
      if (fenceMark === fence) fence = undefined;
    } else if (fenceMark) {
      fence = fenceMark;
    } else {
      const atx = ATX.exec(line);
      const setext = SETEXT.exec(line);
      if (atx) open(offset, lineNo, atx[1]!.length, atx[2]!);
      else if (setext && prevLine && prevLine.text.trim() !== '' && !ATX.test(prevLine.text)) {
        open(prevLine.start, lineNo - 1, setext[1]!.startsWith('=') ? 1 : 2, prevLine.text);
      }
    }
    prevLine = { start: offset, text: line };
    if (nl === -1) break;
    offset = nl + 1;
    lineNo++;
  }
  current.end = text.length;
  if (current.end > current.start) out.push(current);
  return out;
}
