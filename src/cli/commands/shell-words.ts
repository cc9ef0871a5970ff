import { InvalidInputError } from '../errors.js';

/**
 * Splits a command line the way a POSIX shell splits words (quotes and
 * backslashes), without running a shell: the command then runs as an argv,
 * so its runner can still be recognised and asked for per-test results.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && k + 1 < line.length) word += line[++k];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && k + 1 < line.length) {
      word += line[++k];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new InvalidInputError(`unclosed ${quote} quote in the command "${line}"`);
  if (inWord) words.push(word);
  return words;
}
