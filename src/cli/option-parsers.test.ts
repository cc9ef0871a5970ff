import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { countFromOne, nonNegativeNumber, port, positiveNumber, wholeNumber } from './option-parsers.js';

describe('option parsers', () => {
  it('accept what they promise', () => {
    expect(nonNegativeNumber('0.5')).toBe(0.5);
    expect(positiveNumber('2')).toBe(2);
    expect(wholeNumber('0')).toBe(0);
    expect(countFromOne('3')).toBe(3);
    expect(port('65535')).toBe(65_535);
  });

  it("refuse the rest with commander's own error, which it prints without a stack trace", () => {
    const cases: [(v: string) => number, string][] = [
      [nonNegativeNumber, '-1'],
      [nonNegativeNumber, 'ten'],
      [positiveNumber, '0'],
      [wholeNumber, '1.5'],
      [countFromOne, '0'],
      [port, '65536'],
    ];
    for (const [parse, value] of cases) {
      expect(() => parse(value)).toThrow(InvalidArgumentError);
      expect(() => parse(value)).toThrow(`"${value}"`);
    }
  });
});
