import { describe, expect, it } from 'vitest';
import { locate, MIN_SIMILAR_LINES } from './match-ladder.js';

const FILE = [
  'import { x } from "./x.js";',
  '',
  'export function add(a: number, b: number): number {',
  '  const sum = a + b;',
  '  return sum;',
  '}',
  '',
  'export function describe(value: number): string {',
  '  if (value > 10) {',
  '    return "big";',
  '  }',
  '  return "small";',
  '}',
];

function placed(search: string[], replace: string[], file = FILE) {
  const located = locate(file, search, replace);
  if (!('placement' in located)) throw new Error(`not placed: ${located.detail}`);
  const { placement } = located;
  return {
    ...placement,
    result: [...file.slice(0, placement.start), ...placement.lines, ...file.slice(placement.end)],
  };
}

describe('locate: the matching ladder', () => {
  it('rung 1: exact lines', () => {
    const p = placed(['  const sum = a + b;', '  return sum;'], ['  return a + b;']);
    expect(p).toMatchObject({ rung: 'exact', start: 3, end: 5 });
    expect(p.result.slice(2, 5)).toEqual([
      'export function add(a: number, b: number): number {',
      '  return a + b;',
      '}',
    ]);
  });

  it('rung 2: indentation missing from SEARCH is restored in REPLACE, trailing spaces ignored', () => {
    const p = placed(
      ['if (value > 10) {  ', '  return "big";', '}'],
      ['if (value >= 10) {', '  return "big";', '}'],
    );
    expect(p.rung).toBe('whitespace');
    expect(p.lines).toEqual(['  if (value >= 10) {', '    return "big";', '  }']);
  });

  it('rung 2: blank lines a model added around SEARCH (and REPLACE) are dropped', () => {
    const p = placed(['', '  const sum = a + b;', ''], ['', '  const sum = b + a;', '']);
    expect(p).toMatchObject({ rung: 'whitespace', start: 3, end: 4, lines: ['  const sum = b + a;'] });
  });

  it('rung 3: `...` pieces paired with REPLACE keep the code in between', () => {
    const p = placed(
      ['export function describe(value: number): string {', '  ...', '  return "small";'],
      ['export function describe(value: number): string {', '  ...', '  return "tiny";'],
    );
    expect(p.rung).toBe('elision');
    expect(p.result.slice(7)).toEqual([
      'export function describe(value: number): string {',
      '  if (value > 10) {',
      '    return "big";',
      '  }',
      '  return "tiny";',
      '}',
    ]);
  });

  it('rung 3: with no `...` in REPLACE, everything from the first piece to the last is replaced', () => {
    const p = placed(
      ['export function add(a: number, b: number): number {', '// ... existing code ...', '}'],
      ['export const add = (a: number, b: number): number => a + b;'],
    );
    expect(p).toMatchObject({ rung: 'elision', start: 2, end: 6 });
    expect(p.result[2]).toBe('export const add = (a: number, b: number): number => a + b;');
    expect(p.result[3]).toBe('');
  });

  it('rung 3: unpaired `...` and unanchored additions are refused', () => {
    const search = [
      'export function add(a: number, b: number): number {',
      '...',
      '  return sum;',
      '...',
      '}',
    ];
    expect(locate(FILE, search, ['x', '...', 'y'])).toMatchObject({ problem: 'elision-mismatch' });
    expect(locate(FILE, ['...', '  return sum;'], ['added', '...', '  return sum;'])).toMatchObject({
      problem: 'elision-mismatch',
    });
  });

  it('rung 4: lines at least 80% alike are replaced, re-indented to the file', () => {
    const search = [
      'export function describe(value: number): string {',
      'if (value > 100) {',
      'return "big";',
      '}',
    ];
    const p = placed(search, [
      'export function describe(value: number): string {',
      'if (value > 100) {',
      'return "huge";',
      '}',
    ]);
    expect(p.rung).toBe('similar');
    expect(p.similarity).toBeGreaterThanOrEqual(0.8);
    expect(p.similarity).toBeLessThan(1);
    expect(p.start).toBe(7);
  });

  it('rung 4: is not tried for fewer lines than the minimum, nor below the threshold', () => {
    const short = Array.from({ length: MIN_SIMILAR_LINES - 1 }, () => '  return sums;');
    expect(locate(FILE, short, ['x'])).toMatchObject({ problem: 'no-match' });
    expect(locate(FILE, ['completely', 'different', 'text here'], ['x'])).toMatchObject({
      problem: 'no-match',
    });
  });

  it('rejects ambiguous matches at every rung, naming the lines', () => {
    const twice = ['a();', 'b();', 'x', 'a();', 'b();'];
    expect(locate(twice, ['a();', 'b();'], ['c();'])).toMatchObject({
      problem: 'ambiguous',
      locations: [1, 4],
    });
    const indented = ['  a();', '  b();', 'x', '    a();', '    b();'];
    expect(locate(indented, ['a();', 'b();'], ['c();'])).toMatchObject({
      problem: 'ambiguous',
      locations: [1, 4],
    });
    const elided = ['f() {', '  one', '}', 'f() {', '  two', '}'];
    expect(locate(elided, ['f() {', '...', '}'], ['g() {}'])).toMatchObject({
      problem: 'ambiguous',
      locations: [1, 4],
    });
    const similar = [
      'function alpha(first) {',
      '  return first + 1;',
      '}',
      'function alpha(second) {',
      '  return second + 1;',
      '}',
    ];
    const search = ['function alpha(third) {', '  return third + 1;', '}'];
    expect(locate(similar, search, ['x'], 0.7)).toMatchObject({ problem: 'ambiguous', locations: [1, 4] });
  });
});
