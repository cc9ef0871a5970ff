import { describe, expect, it } from 'vitest';
import { testStrength, weakening } from './test-strength.js';

describe('testStrength', () => {
  it('counts cases, assertions and skips across JS, Python and Go', () => {
    const js = "it('a', () => { expect(1).toBe(1); assert.equal(2, 2); });\ntest.skip('b', () => {});";
    expect(testStrength(js)).toEqual({ cases: 2, assertions: 2, skipped: 1 });
    const py = 'def test_one():\n    assert 1 == 1\n\ndef test_two():\n    self.assertEqual(1, 1)\n';
    expect(testStrength(py)).toMatchObject({ cases: 2, assertions: 2 });
    const go = 'func TestX(t *testing.T) {\n  if x { t.Fatalf("no") }\n}\n';
    expect(testStrength(go)).toMatchObject({ cases: 1, assertions: 1 });
  });

  it('calls fewer cases, fewer assertions or new skips weakening, and more of them not', () => {
    const before = { cases: 3, assertions: 5, skipped: 0 };
    expect(weakening('a.test.ts', before, { cases: 2, assertions: 5, skipped: 0 })).toMatch(/1 test case/);
    expect(weakening('a.test.ts', before, { cases: 3, assertions: 4, skipped: 0 })).toMatch(/assertion/);
    expect(weakening('a.test.ts', before, { cases: 3, assertions: 5, skipped: 1 })).toMatch(/skipped/);
    expect(weakening('a.test.ts', before, { cases: 4, assertions: 9, skipped: 0 })).toBeUndefined();
  });
});
