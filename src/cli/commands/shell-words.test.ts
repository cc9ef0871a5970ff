import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.js';
import { shellWords } from './shell-words.js';

describe('shellWords', () => {
  it('splits like a shell: quotes, escapes, empty quoted words', () => {
    expect(shellWords(`npx vitest run  'src/a b' "x\\"y" c\\ d ''`)).toEqual([
      'npx',
      'vitest',
      'run',
      'src/a b',
      'x"y',
      'c d',
      '',
    ]);
  });

  it('refuses an unclosed quote', () => {
    expect(() => shellWords('npm "test')).toThrow(InvalidInputError);
  });
});
