import { describe, expect, it } from 'vitest';
import { findDuplicates } from './duplicates.js';
import { tokenize } from './lexer.js';

/** A function of about 60 tokens over 8 lines, with its names and numbers made distinct by `tag`. */
function block(name: string, tag = 'a', base = 1): string {
  return [
    `export function ${name}(items: number[], limit: number): number {`,
    `  let total_${tag} = ${base};`,
    '  for (const item of items) {',
    `    if (item > limit) total_${tag} += item * ${base + 1};`,
    `    else total_${tag} -= Math.max(item, ${base + 2});`,
    '  }',
    `  return total_${tag} > 100 ? total_${tag} : -total_${tag};`,
    '}',
  ].join('\n');
}

const file = (path: string, source: string) => ({ path, tokens: tokenize(source, 'typescript') });

describe('findDuplicates', () => {
  it('reports a clone pair across files with both line ranges, once, at full length', () => {
    const a = file('a.ts', `const x = 1;\n${block('one')}\n`);
    const b = file('b.ts', `// header\n\n${block('two')}\nconst y = 2;\n`);
    const pairs = findDuplicates([a, b], { minTokens: 20 });
    expect(pairs).toHaveLength(1);
    // The names differ, so the copy starts after `function one(` / `function two(`.
    expect(pairs[0]).toMatchObject({
      first: { path: 'a.ts', startLine: 2, endLine: 9 },
      second: { path: 'b.ts', startLine: 3, endLine: 10 },
      lines: 8,
    });
    expect(pairs[0]!.tokens).toBeGreaterThan(50);
  });

  it('finds copies within one file without overlapping them, and three copies as two pairs', () => {
    const source = [block('one'), block('two'), block('three')].join('\n\n');
    const pairs = findDuplicates([file('x.ts', source)], { minTokens: 20 });
    expect(pairs.map((p) => [p.first.startLine, p.second.startLine])).toEqual([
      [1, 10],
      [1, 19],
    ]);
  });

  it('holds clones to the minimum tokens and lines', () => {
    const a = file('a.ts', block('one'));
    const b = file('b.ts', block('two'));
    expect(findDuplicates([a, b], { minTokens: 200 })).toEqual([]);
    expect(findDuplicates([a, b], { minTokens: 20, minLines: 9 })).toEqual([]);
  });

  it('finds renamed copies only when identifiers and literals are normalised', () => {
    const a = file('a.ts', block('one', 'a', 1));
    const b = file('b.ts', block('two', 'b', 5));
    expect(findDuplicates([a, b], { minTokens: 40 })).toEqual([]);
    const pairs = findDuplicates([a, b], {
      minTokens: 40,
      normaliseIdentifiers: true,
      normaliseLiterals: true,
    });
    expect(pairs).toHaveLength(1);
    expect(pairs[0]!.first).toEqual({ path: 'a.ts', startLine: 1, endLine: 8 });
  });
});
