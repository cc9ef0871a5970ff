/**
 * Per-code-unit tables for the text scanners: what kind of character it is
 * and its lower-case form. Built once (about 10 ms) so the hot loops do one
 * array read per character instead of a regular expression or a
 * `toLowerCase()` that allocates.
 */

export const SEPARATOR = 0;
export const LOWER = 1;
export const UPPER = 2;
export const DIGIT = 3;
/** Han, kana: each character is a word of its own, as tokenizers and BM25 for CJK treat them. */
export const IDEOGRAPH = 4;

let classes: Uint8Array | undefined;
let lower: Uint16Array | undefined;

export function charClasses(): Uint8Array {
  if (!classes) build();
  return classes!;
}

export function lowerCase(): Uint16Array {
  if (!lower) build();
  return lower!;
}

function build() {
  const kinds = new Uint8Array(65536);
  const lowered = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    lowered[c] = c;
    if (c >= 0xd800 && c <= 0xdfff) {
      // surrogate halves: characters outside the BMP (emoji, rare CJK) join words like letters
      kinds[c] = LOWER;
      continue;
    }
    if (c < 128) {
      if (c >= 97 && c <= 122) kinds[c] = LOWER;
      else if (c >= 65 && c <= 90) {
        kinds[c] = UPPER;
        lowered[c] = c + 32;
      } else if (c >= 48 && c <= 57) kinds[c] = DIGIT;
      continue;
    }
    const ch = String.fromCharCode(c);
    if (/\p{Nd}/u.test(ch)) kinds[c] = DIGIT;
    else if (/\p{Lu}|\p{Lt}/u.test(ch)) {
      kinds[c] = UPPER;
      const l = ch.toLowerCase();
      if (l.length === 1) lowered[c] = l.charCodeAt(0);
    } else if (/\p{Ll}/u.test(ch)) kinds[c] = LOWER;
    else if (/\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}/u.test(ch)) kinds[c] = IDEOGRAPH;
    else if (/\p{L}|\p{M}/u.test(ch)) kinds[c] = LOWER;
  }
  classes = kinds;
  lower = lowered;
}
