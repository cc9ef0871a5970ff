import { charClasses, DIGIT, IDEOGRAPH, LOWER, lowerCase, SEPARATOR, UPPER } from './char-classes.js';
import { FNV_OFFSET, FNV_PRIME, fnvStep, mix32 } from './hash.js';
import { STOP_WORDS } from './stop-words.js';

/**
 * The lexical analysis shared by the BM25 index, the hashed embedder and
 * queries, so a query is cut exactly as the text it should match:
 * words are runs of letters and digits, split at camelCase humps and at
 * `_`, lower-cased, with English plurals stripped (the S-stemmer) and stop
 * words marked. Terms are 32-bit hashes, never strings: the scan allocates
 * nothing per word.
 */

/** Words longer than this are hashed on their first characters (base64 blobs, minified code). */
export const MAX_WORD = 64;

/**
 * Receives each word: `codes[0..length)` holds its lower-case code units
 * before stemming; `term` is the hash the index uses (after stemming).
 * The buffer is reused for the next word.
 */
export type WordSink = (codes: Uint16Array, length: number, term: number, stop: boolean) => void;

const CONTRACTIONS = 'don doesn didn isn aren wasn weren won wouldn shouldn couldn hasn haven hadn ll ve re';
let stopHashes: Set<number> | undefined;

function stopSet(): Set<number> {
  if (stopHashes === undefined) {
    stopHashes = new Set();
    for (const word of [...STOP_WORDS, ...CONTRACTIONS.split(' ')]) stopHashes.add(wordHash(word));
  }
  return stopHashes;
}

function wordHash(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = fnvStep(h, word.charCodeAt(i));
  return mix32(h);
}

const buffer = new Uint16Array(MAX_WORD);

export function scanWords(text: string, sink: WordSink, start = 0, end = text.length): void {
  const classes = charClasses();
  const lower = lowerCase();
  // plain locals, no closure over them: V8 keeps them in registers in this loop
  let length = 0;
  let hash = FNV_OFFSET;
  let hasLetter = false;
  let prevClass = SEPARATOR;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const cls = classes[code]!;
    if (cls === SEPARATOR) {
      if (length > 0) emit(sink, length, hash, hasLetter);
      length = 0;
      hash = FNV_OFFSET;
      hasLetter = false;
      prevClass = cls;
      continue;
    }
    if (cls === IDEOGRAPH) {
      if (length > 0) emit(sink, length, hash, hasLetter);
      buffer[0] = code;
      emit(sink, 1, fnvStep(FNV_OFFSET, code), false);
      length = 0;
      hash = FNV_OFFSET;
      hasLetter = false;
      prevClass = cls;
      continue;
    }
    // parseHTTPResponse -> parse, http, response
    if (
      cls === UPPER &&
      length > 0 &&
      (prevClass === LOWER ||
        (prevClass === UPPER && i + 1 < end && classes[text.charCodeAt(i + 1)] === LOWER))
    ) {
      emit(sink, length, hash, hasLetter);
      length = 0;
      hash = FNV_OFFSET;
      hasLetter = false;
    }
    if (length < MAX_WORD) {
      const c = lower[code]!;
      buffer[length++] = c;
      hash = Math.imul(hash ^ c, FNV_PRIME);
    }
    if (cls !== DIGIT) hasLetter = true;
    prevClass = cls;
  }
  if (length > 0) emit(sink, length, hash, hasLetter);
}

function emit(sink: WordSink, length: number, hash: number, hasLetter: boolean) {
  const unstemmed = mix32(hash);
  const stop = (length === 1 && hasLetter) || stopSet().has(unstemmed);
  const term = stop || !hasLetter ? unstemmed : stemmedHash(length, unstemmed);
  sink(buffer, length, term, stop);
}

/** Harman's S-stemmer: bodies -> body, cases -> case, files -> file, but not bus, glass, gas. */
function stemmedHash(length: number, unstemmed: number): number {
  if (length <= 3 || buffer[length - 1] !== 115 /* s */) return unstemmed;
  const c2 = buffer[length - 2]!;
  const c3 = buffer[length - 3]!;
  const c4 = length > 4 ? buffer[length - 4]! : 0;
  let keep: number;
  let tail = -1;
  if (c2 === 101 /* e */ && c3 === 105 /* i */ && c4 !== 101 && c4 !== 97) {
    keep = length - 3;
    tail = 121; /* y */
  } else if (c2 === 101 && c3 !== 97 && c3 !== 101 && c3 !== 111) {
    keep = length - 1;
  } else if (c2 !== 117 /* u */ && c2 !== 115 /* s */) {
    keep = length - 1;
  } else return unstemmed;
  let h = FNV_OFFSET;
  for (let i = 0; i < keep; i++) h = fnvStep(h, buffer[i]!);
  if (tail >= 0) h = fnvStep(h, tail);
  return mix32(h);
}

/** The index terms of a text (stop words left out), in order. */
export function termsOf(text: string): number[] {
  const terms: number[] = [];
  scanWords(text, (_codes, _length, term, stop) => {
    if (!stop) terms.push(term);
  });
  return terms;
}
