import { describe, expect, it } from 'vitest';
import { globToRegExp, pathFilter } from './glob.js';

const matches = (glob: string, path: string) => globToRegExp(glob).test(path);

describe('globToRegExp', () => {
  it('keeps * and ? within one segment', () => {
    expect(matches('*.ts', 'a.ts')).toBe(true);
    expect(matches('*.ts', 'src/a.ts')).toBe(false);
    expect(matches('src/?.ts', 'src/a.ts')).toBe(true);
    expect(matches('src/?.ts', 'src/ab.ts')).toBe(false);
  });

  it('lets ** cross segments, including none', () => {
    expect(matches('**/*.ts', 'a.ts')).toBe(true);
    expect(matches('**/*.ts', 'src/deep/a.ts')).toBe(true);
    expect(matches('src/**/a.ts', 'src/a.ts')).toBe(true);
    expect(matches('src/**', 'src/x/y')).toBe(true);
    expect(matches('src/**', 'lib/x')).toBe(false);
  });

  it('treats everything else literally', () => {
    expect(matches('a+b.(ts)', 'a+b.(ts)')).toBe(true);
    expect(matches('a.ts', 'abts')).toBe(false);
    expect(matches('./src/*.ts', 'src/a.ts')).toBe(true);
  });
});

describe('pathFilter', () => {
  it('matches file names when the glob has no slash', () => {
    expect(pathFilter('*.md', '.')('docs/guide/intro.md')).toBe(true);
  });

  it('matches paths from the root or from the listed directory', () => {
    const filter = pathFilter('util/*.ts', 'src');
    expect(filter('src/util/a.ts')).toBe(true);
    expect(filter('util/a.ts')).toBe(true);
    expect(filter('src/other/a.ts')).toBe(false);
  });
});
