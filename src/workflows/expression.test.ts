import { describe, expect, it } from 'vitest';
import { ExpressionError } from './errors.js';
import { evaluate, render, renderDeep } from './expression.js';

const scope = {
  input: { n: 3, tags: ['a', 'b'] },
  steps: { review: { status: 'succeeded', output: { verdict: 'approve' } } },
};

describe('conditions (JSON-logic)', () => {
  it('compares, combines and reads variables', () => {
    expect(evaluate({ '==': [{ var: 'steps.review.output.verdict' }, 'approve'] }, scope)).toBe(true);
    expect(
      evaluate({ and: [{ '>': [{ var: 'input.n' }, 2] }, { in: ['b', { var: 'input.tags' }] }] }, scope),
    ).toBe(true);
    expect(evaluate({ or: [false, { '!': { var: 'input.missing' } }] }, scope)).toBe(true);
    expect(evaluate({ if: [{ '<': [{ var: 'input.n' }, 2] }, 'small', 'large'] }, scope)).toBe('large');
    expect(evaluate({ var: ['input.missing', 'fallback'] }, scope)).toBe('fallback');
    expect(evaluate({ '+': [1, { var: 'input.n' }] }, scope)).toBe(4);
  });

  it('short-circuits: the untaken side is never evaluated', () => {
    expect(evaluate({ and: [false, { nonsense: [] }] }, scope)).toBe(false);
  });

  it('refuses unknown operators and malformed operations instead of guessing', () => {
    expect(() => evaluate({ eval: 'process.exit()' }, scope)).toThrow(ExpressionError);
    expect(() => evaluate({ '==': [1, 1], '!=': [1, 2] }, scope)).toThrow(/exactly one operator/);
  });
});

describe('templates', () => {
  it('inserts values, JSON for objects, nothing for missing paths', () => {
    expect(
      render('verdict: ${{ steps.review.output.verdict }}, n=${{input.n}}, x=${{ input.nope }}', scope),
    ).toBe('verdict: approve, n=3, x=');
    expect(render('${{ input.tags }}', scope)).toBe('["a","b"]');
  });

  it('keeps the type of a value when a string is exactly one template', () => {
    expect(renderDeep({ list: '${{ input.tags }}', text: 'n ${{ input.n }}' }, scope)).toEqual({
      list: ['a', 'b'],
      text: 'n 3',
    });
  });
});
