import { describe, expect, it } from 'vitest';
import type { SourceLanguage } from './languages.js';
import { IDENTIFIER, KEYWORD, LITERAL, PUNCTUATION, tokenize } from './lexer.js';

function texts(source: string, language: SourceLanguage): string[] {
  const tokens = tokenize(source, language);
  return Array.from({ length: tokens.count }, (_, k) => source.slice(tokens.starts[k], tokens.ends[k]));
}

describe('tokenize', () => {
  it('drops comments and whitespace and keeps multi-character operators whole', () => {
    const source = 'const a = b ?? c; // note\n/* block\n comment */ if (a === b) { a >>>= 2 }';
    expect(texts(source, 'typescript')).toEqual([
      'const',
      'a',
      '=',
      'b',
      '??',
      'c',
      ';',
      'if',
      '(',
      'a',
      '===',
      'b',
      ')',
      '{',
      'a',
      '>>>=',
      '2',
      '}',
    ]);
  });

  it('tells regular expressions from division, and splits template literals around their code', () => {
    expect(texts('x = a / b / c; y = /a"b\\/[/]/gi.test(s)', 'javascript')).toEqual([
      'x',
      '=',
      'a',
      '/',
      'b',
      '/',
      'c',
      ';',
      'y',
      '=',
      '/a"b\\/[/]/gi',
      '.',
      'test',
      '(',
      's',
      ')',
    ]);
    expect(texts('t = `a ${f({ k: `b${c}` })} d`', 'typescript')).toEqual([
      't',
      '=',
      '`a ${',
      'f',
      '(',
      '{',
      'k',
      ':',
      '`b${',
      'c',
      '}`',
      '}',
      ')',
      '} d`',
    ]);
  });

  it('reads Python strings with prefixes and triple quotes, and # comments', () => {
    expect(texts('s = rb"x\\"" + """a\n"b"\n""" # c\nx //= 2', 'python')).toEqual([
      's',
      '=',
      'rb"x\\""',
      '+',
      '"""a\n"b"\n"""',
      'x',
      '//=',
      '2',
    ]);
  });

  it('reads Go raw strings and numbers, with the line of each token', () => {
    const source = 'x := `raw\nstring`\ny := 1.5e-3 + 0x1F';
    expect(texts(source, 'go')).toEqual(['x', ':=', '`raw\nstring`', 'y', ':=', '1.5e-3', '+', '0x1F']);
    expect(Array.from(tokenize(source, 'go').lines)).toEqual([1, 1, 1, 3, 3, 3, 3, 3]);
  });

  it('marks kinds and gives equal texts equal hashes', () => {
    const tokens = tokenize('return foo + foo("s")', 'typescript');
    expect(Array.from(tokens.kinds)).toEqual([
      KEYWORD,
      IDENTIFIER,
      PUNCTUATION,
      IDENTIFIER,
      PUNCTUATION,
      LITERAL,
      PUNCTUATION,
    ]);
    expect(tokens.hashes[1]).toBe(tokens.hashes[3]);
    expect(tokens.hashes[1]).not.toBe(tokens.hashes[5]);
  });
});
