import type { Node } from 'web-tree-sitter';
import type { ChunkDraft, ChunkOptions } from './chunk.js';
import { hasGrammar } from './document-kind.js';
import { parserFor } from './grammars.js';
import { chunkText } from './text-chunker.js';
import { estimateTokens } from './token-estimate.js';

/** Past this size a file is cut by lines: a syntax tree of a huge generated file is not worth its memory. */
const MAX_PARSE_CHARS = 2_000_000;
const MAX_SYMBOL = 120;
/** Lines left over after a cut that are this small join the chunk before instead. */
const STRAY_TAIL_TOKENS = 6;
const DECLARATION =
  /function|method|class|interface|enum|struct|impl|module|namespace|definition|type_(alias|declaration|spec)/;

/** A run of whole lines `[from, to)` (0-based) that belongs to one syntax node, or to none. */
interface Unit {
  from: number;
  to: number;
  node?: Node;
  symbol?: string;
}

/**
 * Cuts source code at function and class boundaries using tree-sitter where
 * a grammar exists: top-level declarations become chunks (small neighbours
 * share one, leading comments stay with what they describe), a declaration
 * over the budget is cut at its members or statements, and what is still
 * too big, or has no grammar, is cut by lines with overlap. Chunks always
 * cover whole lines and, together, the whole file.
 */
export async function chunkCode(
  text: string,
  language: string | undefined,
  options: ChunkOptions,
): Promise<ChunkDraft[]> {
  const lines = lineStarts(text);
  const cutter = new Cutter(text, lines, options);
  const all = { from: 0, to: lines.length - 1 };
  // a file that fits in one chunk needs no syntax tree to be cut
  if (cutter.tokens(all.from, all.to) <= options.maxTokens) {
    cutter.pack([all]);
    return cutter.chunks;
  }
  if (!hasGrammar(language) || text.length > MAX_PARSE_CHARS) {
    cutter.byLines(all.from, all.to, undefined);
    return cutter.chunks;
  }
  const tree = (await parserFor(language)).parse(text);
  if (!tree) {
    cutter.byLines(all.from, all.to, undefined);
    return cutter.chunks;
  }
  try {
    cutter.pack(unitsOf(tree.rootNode, all.from, all.to, undefined));
  } finally {
    tree.delete();
  }
  return cutter.chunks;
}

class Cutter {
  readonly chunks: ChunkDraft[] = [];

  /** Estimated tokens before each line (one scan of the file), so any line range costs a subtraction. */
  private readonly before: Float64Array;

  constructor(
    private readonly text: string,
    private readonly lines: Int32Array,
    private readonly options: ChunkOptions,
  ) {
    this.before = new Float64Array(lines.length);
    for (let i = 1; i < lines.length; i++) {
      this.before[i] = this.before[i - 1]! + estimateTokens(text, lines[i - 1]!, lines[i]!);
    }
  }

  pack(units: Unit[]) {
    let group: Unit[] = [];
    let groupTokens = 0;
    const flush = () => {
      const first = group[0];
      const last = group.at(-1);
      if (first && last) this.emit(first.from, last.to, groupSymbol(group));
      group = [];
      groupTokens = 0;
    };
    for (const unit of units) {
      const tokens = this.tokens(unit.from, unit.to);
      if (tokens > this.options.maxTokens) {
        flush();
        this.split(unit);
        continue;
      }
      if (groupTokens + tokens > this.options.maxTokens) flush();
      group.push(unit);
      groupTokens += tokens;
    }
    flush();
  }

  /** A unit over the budget: cut at its members or statements, else by lines. */
  private split(unit: Unit) {
    const container = unit.node && containerOf(unit.node);
    const parts = container ? unitsOf(container, unit.from, unit.to, unit.symbol) : [];
    if (parts.length > 1) this.pack(parts);
    else this.byLines(unit.from, unit.to, unit.symbol);
  }

  byLines(from: number, to: number, symbol: string | undefined) {
    const { maxTokens, overlapTokens } = this.options;
    let start = from;
    while (start < to) {
      let end = start;
      let tokens = 0;
      while (end < to) {
        const t = this.tokens(end, end + 1);
        if (tokens + t > maxTokens && end > start) break;
        tokens += t;
        end++;
        if (tokens > maxTokens) break;
      }
      // a closing `}` or `end` is not worth a chunk of its own: it stays with what it closes
      if (end < to && this.tokens(end, to) <= STRAY_TAIL_TOKENS) end = to;
      if (end === start + 1 && tokens > maxTokens) {
        // one line over the budget (minified code): cut it as text
        const from = { char: this.lines[start]!, line: start + 1 };
        const line = this.text.slice(this.lines[start]!, this.lines[end]!);
        for (const chunk of chunkText(line, this.options, from, symbol)) this.chunks.push(chunk);
      } else this.emit(start, end, symbol);
      if (end >= to) break;
      let back = end;
      let overlap = 0;
      while (back - 1 > start && overlap + this.tokens(back - 1, back) <= overlapTokens) {
        back--;
        overlap += this.tokens(back, back + 1);
      }
      start = back;
    }
  }

  private emit(from: number, to: number, symbol: string | undefined) {
    const start = this.lines[from]!;
    let end = this.lines[to]!;
    while (end > start && isSpace(this.text.charCodeAt(end - 1))) end--;
    // leading blank lines go; the first line keeps its indentation
    let first = start;
    let firstLine = from + 1;
    for (let i = start; i < end && isSpace(this.text.charCodeAt(i)); i++) {
      if (this.text.charCodeAt(i) === 10) {
        first = i + 1;
        firstLine++;
      }
    }
    if (first >= end || this.text.slice(first, end).trim() === '') return;
    const text = this.text.slice(first, end);
    let lastLine = firstLine;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lastLine++;
    this.chunks.push({
      text,
      start: first,
      end,
      startLine: firstLine,
      endLine: lastLine,
      tokens: this.tokens(from, to),
      ...(symbol ? { symbol } : {}),
    });
  }

  tokens(from: number, to: number): number {
    return this.before[to]! - this.before[from]!;
  }
}

/** The named children of `node` as line units within `[from, to)`; gaps and comments join the next unit. */
function unitsOf(node: Node, from: number, to: number, parent: string | undefined): Unit[] {
  const units: Unit[] = [];
  let cursor = from;
  let pendingComment = -1;
  for (const child of node.namedChildren) {
    const end = Math.min(to, child.endPosition.row + 1);
    if (end <= cursor) continue;
    if (child.type.includes('comment')) {
      if (pendingComment === -1) pendingComment = cursor;
      cursor = end;
      continue;
    }
    // inside a body only declarations name a part; a local `const x` does not
    const own = parent === undefined || DECLARATION.test(child.type) ? symbolOf(child) : undefined;
    const symbol = own && parent ? `${parent}.${own}` : (own ?? parent);
    const unit: Unit = { from: pendingComment === -1 ? cursor : pendingComment, to: end, node: child };
    if (symbol) unit.symbol = symbol;
    units.push(unit);
    pendingComment = -1;
    cursor = end;
  }
  const last = units.at(-1);
  if (cursor < to || pendingComment !== -1) {
    if (last && pendingComment === -1) last.to = to;
    else units.push({ from: pendingComment === -1 ? cursor : pendingComment, to });
  }
  return units;
}

/** The node whose children are natural cut points: a class body, a function's statements. */
function containerOf(node: Node): Node | undefined {
  let current: Node | null = node;
  for (let depth = 0; current && depth < 8; depth++) {
    const children: Node[] = current.namedChildren;
    const rows = new Set(children.map((child) => child.startPosition.row));
    if (rows.size >= 3) return current;
    let widest: Node | null = null;
    for (const child of children) {
      if (!widest || span(child) > span(widest)) widest = child;
    }
    current = widest && span(widest) > 0 ? widest : null;
  }
  return undefined;
}

function span(node: Node): number {
  return node.endPosition.row - node.startPosition.row;
}

function symbolOf(node: Node): string | undefined {
  const name = node.childForFieldName('name');
  if (name) return name.text.slice(0, MAX_SYMBOL);
  for (const field of ['declaration', 'definition']) {
    const inner = node.childForFieldName(field);
    if (inner) return symbolOf(inner);
  }
  if (/^(lexical|variable)_declaration$|^type_declaration$|^export_statement$/.test(node.type)) {
    const first = node.namedChildren[0];
    return first ? symbolOf(first) : undefined;
  }
  return undefined;
}

function groupSymbol(group: readonly Unit[]): string | undefined {
  const names = [...new Set(group.flatMap((unit) => (unit.symbol ? [unit.symbol] : [])))];
  if (names.length === 0) return undefined;
  return names.length > 4 ? `${names.slice(0, 4).join(', ')}, …` : names.join(', ');
}

/** Offsets where each line starts, plus one past the end, so line `i` is `[starts[i], starts[i + 1])`. */
function lineStarts(text: string): Int32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count + 1);
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
  starts[count] = text.length;
  if (count > 1 && starts[count - 1] === text.length) return starts.subarray(0, count);
  return starts;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}
