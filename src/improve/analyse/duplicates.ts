import { IDENTIFIER, LITERAL, type Tokens } from './lexer.js';

export interface DuplicateOptions {
  /** Shortest run of equal tokens reported (jscpd's default is 50). */
  minTokens?: number;
  /** Fewest lines a run must span on both sides (jscpd's default is 5). */
  minLines?: number;
  /** Treat all identifiers as one token, so renamed copies match too. */
  normaliseIdentifiers?: boolean;
  /** Treat all literals (strings, numbers, regular expressions) as one token. */
  normaliseLiterals?: boolean;
}

export const DEFAULT_MIN_TOKENS = 50;
export const DEFAULT_MIN_LINES = 5;

export interface CloneSide {
  path: string;
  startLine: number;
  endLine: number;
}

/** Two places holding the same run of tokens. `first` was seen earlier in path order. */
export interface ClonePair {
  first: CloneSide;
  second: CloneSide;
  tokens: number;
  /** Lines of the second copy: the code that extracting the duplicate would remove. */
  lines: number;
}

export interface TokenisedFile {
  path: string;
  tokens: Tokens;
}

// Stand-ins for normalised tokens; token hashes are FNV-1a of non-empty texts, which never give 1 or 2.
const ANY_IDENTIFIER = 1;
const ANY_LITERAL = 2;

/**
 * Finds duplicated code as runs of equal tokens: a rolling hash over every
 * window of `minTokens` tokens, each window looked up among those seen
 * before; a hit is checked token by token and extended as far as both copies
 * agree, so each clone is reported once at its full length. A file may
 * repeat itself, but the two copies never overlap. Three copies of a block
 * give two pairs, each against the first copy.
 */
export function findDuplicates(files: readonly TokenisedFile[], options: DuplicateOptions = {}): ClonePair[] {
  const minTokens = Math.max(1, options.minTokens ?? DEFAULT_MIN_TOKENS);
  const minLines = options.minLines ?? DEFAULT_MIN_LINES;
  const ids = files.map((file) => comparable(file.tokens, options));
  const base = 0x01000193;
  let topPower = 1;
  for (let k = 1; k < minTokens; k++) topPower = Math.imul(topPower, base);
  const seen = new WindowTable(files.reduce((sum, file) => sum + file.tokens.count, 0));
  const clones: ClonePair[] = [];
  for (let f = 0; f < files.length; f++) {
    const mine = ids[f]!;
    let i = 0;
    let hash = 0;
    let hashed = -1;
    while (i + minTokens <= mine.length) {
      if (hashed !== i) {
        hash = 0;
        for (let k = i; k < i + minTokens; k++) hash = (Math.imul(hash, base) + mine[k]!) | 0;
        hashed = i;
      }
      const slot = seen.find(hash);
      let matched = 0;
      let g = -1;
      let j = -1;
      if (seen.taken(slot)) {
        g = seen.fileAt(slot);
        j = seen.tokenAt(slot);
        matched = runLength(ids[g]!, j, mine, i, g === f ? i : Number.POSITIVE_INFINITY);
      } else {
        seen.put(slot, hash, f, i);
      }
      if (matched >= minTokens) {
        const pair = clonePair(files[g]!, j, files[f]!, i, matched);
        if (pair.first.endLine - pair.first.startLine + 1 >= minLines && pair.lines >= minLines)
          clones.push(pair);
        // Windows inside the clone would only report parts of it again.
        i += matched - minTokens + 1;
        continue;
      }
      const leaving = mine[i]!;
      const entering = mine[i + minTokens];
      i++;
      if (entering !== undefined) {
        hash = (Math.imul(hash - Math.imul(leaving, topPower), base) + entering) | 0;
        hashed = i;
      }
    }
  }
  return clones;
}

/**
 * Window hash → where that window was first seen: open addressing over typed
 * arrays, because a Map of a few hundred thousand entries costs more than
 * the whole scan.
 */
class WindowTable {
  private readonly mask: number;
  private readonly keys: Int32Array;
  private readonly used: Uint8Array;
  private readonly fileIndex: Int32Array;
  private readonly tokenIndex: Int32Array;

  constructor(windows: number) {
    let size = 1024;
    while (size < windows * 2) size *= 2;
    this.mask = size - 1;
    this.keys = new Int32Array(size);
    this.used = new Uint8Array(size);
    this.fileIndex = new Int32Array(size);
    this.tokenIndex = new Int32Array(size);
  }

  /** The slot holding `hash`, or the empty slot where it would go. */
  find(hash: number): number {
    let slot = Math.imul(hash, 0x9e3779b1) & this.mask;
    while (this.used[slot] && this.keys[slot] !== hash) slot = (slot + 1) & this.mask;
    return slot;
  }

  taken(slot: number): boolean {
    return this.used[slot] === 1;
  }

  fileAt(slot: number): number {
    return this.fileIndex[slot]!;
  }

  tokenAt(slot: number): number {
    return this.tokenIndex[slot]!;
  }

  put(slot: number, hash: number, file: number, token: number): void {
    this.used[slot] = 1;
    this.keys[slot] = hash;
    this.fileIndex[slot] = file;
    this.tokenIndex[slot] = token;
  }
}

/** How many tokens agree from `a[j]` and `b[i]` on, stopping before the first copy reaches `limit`. */
function runLength(a: Int32Array, j: number, b: Int32Array, i: number, limit: number): number {
  let k = 0;
  while (j + k < a.length && i + k < b.length && j + k < limit && a[j + k] === b[i + k]) k++;
  return k;
}

function clonePair(
  first: TokenisedFile,
  j: number,
  second: TokenisedFile,
  i: number,
  length: number,
): ClonePair {
  const side = (file: TokenisedFile, at: number): CloneSide => ({
    path: file.path,
    startLine: file.tokens.lines[at]!,
    endLine: file.tokens.lines[at + length - 1]!,
  });
  const b = side(second, i);
  return { first: side(first, j), second: b, tokens: length, lines: b.endLine - b.startLine + 1 };
}

/** The token hashes to compare, with identifiers or literals made all alike when asked. */
function comparable(tokens: Tokens, options: DuplicateOptions): Int32Array {
  if (!options.normaliseIdentifiers && !options.normaliseLiterals) return tokens.hashes;
  const out = tokens.hashes.slice();
  for (let k = 0; k < out.length; k++) {
    const kind = tokens.kinds[k];
    if (kind === IDENTIFIER && options.normaliseIdentifiers) out[k] = ANY_IDENTIFIER;
    else if (kind === LITERAL && options.normaliseLiterals) out[k] = ANY_LITERAL;
  }
  return out;
}
