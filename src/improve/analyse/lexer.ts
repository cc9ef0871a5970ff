import { isJsFamily, type SourceLanguage } from './languages.js';

/** Token kinds, as stored in `Tokens.kinds`. */
export const IDENTIFIER = 0;
export const KEYWORD = 1;
export const LITERAL = 2;
export const PUNCTUATION = 3;

/**
 * The tokens of a file with comments and whitespace dropped. Each token is
 * kept as a 32-bit hash of its text (equal texts, equal hashes), its kind,
 * its 1-based line and its span in the source: typed arrays, so a large
 * repository's tokens cost a few bytes each and no strings.
 */
export interface Tokens {
  count: number;
  hashes: Int32Array;
  kinds: Uint8Array;
  lines: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

const JS_KEYWORDS = keywordSet(
  (
    'abstract as async await break case catch class const continue debugger declare default delete do else enum ' +
    'export extends false finally for from function get if implements import in instanceof interface keyof let ' +
    'namespace new null of private protected public readonly return satisfies set static super switch this throw ' +
    'true try type typeof undefined var void while with yield'
  ).split(' '),
);
const PYTHON_KEYWORDS = keywordSet(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield match case self'
  ).split(' '),
);
const GO_KEYWORDS = keywordSet(
  (
    'break case chan const continue default defer else fallthrough for func go goto if import interface map ' +
    'package range return select struct switch type var nil true false'
  ).split(' '),
);

// Longest first, so `===` is one token rather than `==` and `=`.
const OPERATORS = (
  '>>>= ... === !== **= <<= >>= >>> &&= ||= ??= //= => == != <= >= && || ?? ?. ++ -- += -= *= /= %= &= |= ^= ** << >> ' +
  ':: -> := <- // @='
).split(' ');

const OPERATORS_BY_FIRST = new Map<string, string[]>();
for (const op of OPERATORS) OPERATORS_BY_FIRST.set(op[0]!, [...(OPERATORS_BY_FIRST.get(op[0]!) ?? []), op]);

/** After these a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'case',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'yield',
  'await',
  'else',
  'do',
]);

/**
 * A hand-written lexer, good enough to compare code for duplication: it
 * knows each language's comments, strings (template literals, Python's
 * triple-quoted and prefixed strings, Go's raw strings), numbers, regular
 * expression literals and operators. It never fails: anything it does not
 * know becomes a one-character token. It is an order of magnitude faster
 * than walking a syntax tree, which is what lets duplicate detection keep
 * up with a native tool.
 */
export function tokenize(source: string, language: SourceLanguage): Tokens {
  const python = language === 'python';
  const js = isJsFamily(language);
  const keywords = python ? PYTHON_KEYWORDS : js ? JS_KEYWORDS : GO_KEYWORDS;
  const out = new TokenBuffer(source);
  // Open `{` counts inside each `${` of the template literals being read, innermost last.
  const templates: number[] = [];
  let line = 1;
  let i = 0;
  const n = source.length;
  /** Moves past `[i, end)`, counting its newlines. */
  const advance = (end: number) => {
    for (let k = i; k < end; k++) if (source.charCodeAt(k) === NEWLINE) line++;
    i = end;
  };
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === NEWLINE) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    const next = source.charCodeAt(i + 1);
    if ((python && c === HASH) || (!python && c === SLASH && next === SLASH)) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (!python && c === SLASH && next === STAR) {
      const end = source.indexOf('*/', i + 2);
      advance(end < 0 ? n : end + 2);
      continue;
    }
    const start = line;
    if (isIdentStart(c)) {
      let end = i + 1;
      while (end < n && isIdentPart(source.charCodeAt(end))) end++;
      const quote = source.charCodeAt(end);
      if (
        python &&
        (quote === DQUOTE || quote === SQUOTE) &&
        end - i <= 2 &&
        isStringPrefix(source, i, end)
      ) {
        const close = pythonStringEnd(source, end);
        out.push(i, close, LITERAL, start);
        advance(close);
        continue;
      }
      const hash = out.push(i, end, IDENTIFIER, start);
      if (keywords.hashes.has(hash) && keywords.words.has(source.slice(i, end))) out.markLast(KEYWORD);
      i = end;
      continue;
    }
    if (isDigit(c) || (c === DOT && isDigit(next))) {
      const end = numberEnd(source, i);
      out.push(i, end, LITERAL, start);
      i = end;
      continue;
    }
    if (js && (c === BACKTICK || (c === CLOSE_BRACE && templates.at(-1) === 0))) {
      // A template literal is its text pieces as literals and the code in its `${}` as tokens.
      if (c === CLOSE_BRACE) templates.pop();
      const piece = templatePieceEnd(source, i);
      out.push(i, piece.end, LITERAL, start);
      advance(piece.end);
      if (piece.opensCode) templates.push(0);
      continue;
    }
    if (c === DQUOTE || c === SQUOTE || c === BACKTICK) {
      const close = python
        ? pythonStringEnd(source, i)
        : c === BACKTICK
          ? rawStringEnd(source, i)
          : quotedEnd(source, i, c);
      out.push(i, close, LITERAL, start);
      advance(close);
      continue;
    }
    if (templates.length > 0 && (c === OPEN_BRACE || c === CLOSE_BRACE)) {
      templates[templates.length - 1]! += c === OPEN_BRACE ? 1 : -1;
    }
    if (js && c === SLASH && regexMayStart(out)) {
      const close = regexEnd(source, i);
      if (close > 0) {
        out.push(i, close, LITERAL, start);
        i = close;
        continue;
      }
    }
    const op = OPERATORS_BY_FIRST.get(source[i]!)?.find(
      (candidate) => source.startsWith(candidate, i) && (python || candidate !== '//'),
    );
    const end = i + (op?.length ?? 1);
    out.push(i, end, PUNCTUATION, start);
    i = end;
  }
  return out.finish();
}

const NEWLINE = 10;
const HASH = 35;
const SLASH = 47;
const STAR = 42;
const DOT = 46;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKTICK = 96;
const BACKSLASH = 92;
const DOLLAR = 36;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** FNV-1a over `source[start, end)`: equal texts, equal hashes, no string made. */
function fnv1a(source: string, start: number, end: number): number {
  let hash = 0x811c9dc5 | 0;
  for (let k = start; k < end; k++) hash = Math.imul(hash ^ source.charCodeAt(k), 0x01000193);
  return hash;
}

/**
 * A language's keywords, with their hashes: an identifier is first checked
 * by its hash, which the lexer has anyway, and its text is sliced out only
 * when the hash is a keyword's.
 */
function keywordSet(words: Iterable<string>): { words: ReadonlySet<string>; hashes: ReadonlySet<number> } {
  const set = new Set(words);
  return { words: set, hashes: new Set([...set].map((word) => fnv1a(word, 0, word.length))) };
}

interface Scratch {
  hashes: Int32Array;
  kinds: Uint8Array;
  lines: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

function scratchOf(size: number): Scratch {
  return {
    hashes: new Int32Array(size),
    kinds: new Uint8Array(size),
    lines: new Int32Array(size),
    starts: new Int32Array(size),
    ends: new Int32Array(size),
  };
}

/**
 * One set of arrays for every call (tokenising is synchronous), grown when
 * a file needs more and copied out at the exact size once per file:
 * allocating and zeroing arrays per file cost more than the lexing.
 */
let scratch = scratchOf(1 << 16);

/** The tokens of one file as they are read, each token's text hashed as it is pushed (FNV-1a). */
class TokenBuffer {
  private count = 0;

  constructor(private readonly source: string) {}

  /** Appends a token and returns the hash of its text. */
  push(start: number, end: number, kind: number, line: number): number {
    if (this.count === scratch.hashes.length) this.grow();
    const hash = fnv1a(this.source, start, end);
    const at = this.count++;
    scratch.hashes[at] = hash;
    scratch.kinds[at] = kind;
    scratch.lines[at] = line;
    scratch.starts[at] = start;
    scratch.ends[at] = end;
    return hash;
  }

  markLast(kind: number): void {
    scratch.kinds[this.count - 1] = kind;
  }

  /** Kind and text of the last token, for the regular-expression guess. */
  last(): { kind: number; text: string } | undefined {
    if (this.count === 0) return undefined;
    const at = this.count - 1;
    return { kind: scratch.kinds[at]!, text: this.source.slice(scratch.starts[at], scratch.ends[at]) };
  }

  finish(): Tokens {
    const n = this.count;
    return {
      count: n,
      hashes: scratch.hashes.slice(0, n),
      kinds: scratch.kinds.slice(0, n),
      lines: scratch.lines.slice(0, n),
      starts: scratch.starts.slice(0, n),
      ends: scratch.ends.slice(0, n),
    };
  }

  private grow(): void {
    const bigger = scratchOf(scratch.hashes.length * 2);
    bigger.hashes.set(scratch.hashes);
    bigger.kinds.set(scratch.kinds);
    bigger.lines.set(scratch.lines);
    bigger.starts.set(scratch.starts);
    bigger.ends.set(scratch.ends);
    scratch = bigger;
  }
}

function isStringPrefix(source: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = source.charCodeAt(k) | 0x20;
    if (c !== 114 && c !== 98 && c !== 117 && c !== 102) return false;
  }
  return true;
}

/** End of a number: digits, letters (hex, suffixes, exponents), `_`, one `.` run, and an exponent's sign. */
function numberEnd(source: string, start: number): number {
  const hex = source.charCodeAt(start) === 48 && (source.charCodeAt(start + 1) | 0x20) === 120;
  let end = start + 1;
  for (;;) {
    const d = source.charCodeAt(end);
    if (isIdentPart(d) || (d === DOT && source.charCodeAt(end + 1) !== DOT)) end++;
    else if ((d === 43 || d === 45) && !hex && (source.charCodeAt(end - 1) | 0x20) === 101) end++;
    else return end;
  }
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** End (exclusive) of a `'...'` or `"..."` string; an unterminated one ends at its line's end. */
function quotedEnd(source: string, open: number, quote: number): number {
  for (let k = open + 1; k < source.length; k++) {
    const ch = source.charCodeAt(k);
    if (ch === BACKSLASH) k++;
    else if (ch === quote) return k + 1;
    else if (ch === NEWLINE) return k;
  }
  return source.length;
}

/**
 * A text piece of a template literal, from its opening `` ` `` or the `}`
 * closing a `${`, to its closing `` ` `` or the next `${` (then `opensCode`).
 */
function templatePieceEnd(source: string, from: number): { end: number; opensCode: boolean } {
  for (let k = from + 1; k < source.length; k++) {
    const ch = source.charCodeAt(k);
    if (ch === BACKSLASH) k++;
    else if (ch === BACKTICK) return { end: k + 1, opensCode: false };
    else if (ch === DOLLAR && source.charCodeAt(k + 1) === OPEN_BRACE) return { end: k + 2, opensCode: true };
  }
  return { end: source.length, opensCode: false };
}

/** A Go raw string: no escapes, may span lines. */
function rawStringEnd(source: string, open: number): number {
  const close = source.indexOf('`', open + 1);
  return close < 0 ? source.length : close + 1;
}

/** A Python string at its opening quote: single or triple quoted. */
function pythonStringEnd(source: string, open: number): number {
  const quote = source[open]!;
  const triple = quote.repeat(3);
  if (source.startsWith(triple, open)) {
    for (let k = open + 3; k < source.length; k++) {
      if (source[k] === '\\') k++;
      else if (source.startsWith(triple, k)) return k + 3;
    }
    return source.length;
  }
  return quotedEnd(source, open, source.charCodeAt(open));
}

function regexMayStart(tokens: TokenBuffer): boolean {
  const last = tokens.last();
  if (!last) return true;
  if (last.kind === KEYWORD) return BEFORE_REGEX.has(last.text);
  if (last.kind !== PUNCTUATION) return false;
  const text = last.text;
  return text !== ')' && text !== ']' && text !== '}' && text !== '++' && text !== '--';
}

/** End of a regular expression literal with its flags, or -1 if the line ends first (it was a division). */
function regexEnd(source: string, open: number): number {
  let inClass = false;
  for (let k = open + 1; k < source.length; k++) {
    const ch = source[k];
    if (ch === '\n') return -1;
    if (ch === '\\') k++;
    else if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    else if (ch === '/' && !inClass) {
      let end = k + 1;
      while (end < source.length && /[a-z]/i.test(source[end]!)) end++;
      return end;
    }
  }
  return -1;
}
