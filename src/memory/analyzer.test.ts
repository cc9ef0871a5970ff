import { describe, expect, it } from 'vitest';
import { scanWords, termsOf } from './analyzer.js';

function words(text: string): { word: string; stop: boolean }[] {
  const out: { word: string; stop: boolean }[] = [];
  scanWords(text, (codes, length, _term, stop) => {
    out.push({ word: String.fromCharCode(...codes.subarray(0, length)), stop });
  });
  return out;
}

const same = (a: string, b: string) => expect(termsOf(a)).toEqual(termsOf(b));

describe('scanWords', () => {
  it('splits identifiers at camelCase humps, acronyms and underscores, lower-cased', () => {
    expect(words('parseHTTPResponse snake_case_name').map((w) => w.word)).toEqual([
      'parse',
      'http',
      'response',
      'snake',
      'case',
      'name',
    ]);
  });

  it('marks stop words and single letters, keeps numbers', () => {
    const found = words('What is the x of 42');
    expect(found.filter((w) => !w.stop).map((w) => w.word)).toEqual(['42']);
  });

  it('makes each ideograph a word of its own', () => {
    expect(words('机器学习').map((w) => w.word)).toEqual(['机', '器', '学', '习']);
  });

  it('keeps only the first 64 characters of a huge word, and still sees the next word', () => {
    const found = words(`${'a'.repeat(10_000)} tail`);
    expect(found.map((w) => w.word.length)).toEqual([64, 4]);
  });
});

describe('termsOf', () => {
  it('strips English plurals the way the S-stemmer does', () => {
    same('bodies', 'body');
    same('cases', 'case');
    same('files', 'file');
    expect(termsOf('glass')).not.toEqual(termsOf('glas'));
    expect(termsOf('bus')).not.toEqual(termsOf('bu'));
  });

  it('matches a query written differently from the text: case, separators, plurals', () => {
    same('ParseNumbers', 'parse_number');
  });

  it('has no terms for a query of stop words', () => {
    expect(termsOf('what is the of and to')).toEqual([]);
  });
});
