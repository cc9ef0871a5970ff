import { describe, expect, it } from 'vitest';
import { nameStyle, RepoConventions } from './conventions.js';

describe('RepoConventions', () => {
  const conventions = new RepoConventions([
    'src/run-state.ts',
    'src/work-trees.ts',
    'src/git.ts',
    'src/big-file.ts',
    'test/a.test.ts',
    'README.md',
  ]);

  it('accepts a new file that fits: known extension, existing folder or one new level, same naming style', () => {
    expect(conventions.violation('src/new-module.ts')).toBeUndefined();
    expect(conventions.violation('src/big-file/part-one.ts')).toBeUndefined();
    expect(conventions.violation('src/index.ts')).toBeUndefined();
  });

  it('names what breaks them', () => {
    expect(conventions.violation('src/helper.py')).toMatch(/extension ".py"/);
    expect(conventions.violation('lib/deep/er/x.ts')).toMatch(/neither lib\/deep\/er nor its parent/);
    expect(conventions.violation('src/newModule.ts')).toMatch(
      /camel style where the files beside it are kebab/,
    );
  });

  it('classifies name styles', () => {
    expect([
      nameStyle('a-b.ts'),
      nameStyle('a_b.py'),
      nameStyle('aB.ts'),
      nameStyle('AB.tsx'),
      nameStyle('Ab.tsx'),
    ]).toEqual(['kebab', 'snake', 'camel', 'plain', 'pascal']);
  });
});
