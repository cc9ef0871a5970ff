/** How much a test file checks: its test cases, assertions and skipped cases. */
export interface TestStrength {
  cases: number;
  assertions: number;
  skipped: number;
}

const CASE =
  /\b(?:it|test)(?:\.(?:skip|only|todo|concurrent))?(?:\.each\s*\([^)]*\))?\s*\(|^\s*def test_\w*|^\s*func Test\w*|#\[test\]/gm;
const ASSERTION =
  /\bexpect\s*\(|\bassert(?:_\w+|\.\w+)?\s*[(\s]|\bself\.assert\w+\s*\(|\bt\.(?:Error|Errorf|Fatal|Fatalf)\s*\(|\bassert(?:_eq|_ne)?!\s*\(/g;
const SKIP =
  /\b(?:it|test|describe)\.(?:skip|todo)\s*\(|\bx(?:it|describe)\s*\(|@pytest\.mark\.skip|\bt\.Skip\s*\(/g;

export function testStrength(text: string): TestStrength {
  return {
    cases: text.match(CASE)?.length ?? 0,
    assertions: text.match(ASSERTION)?.length ?? 0,
    skipped: text.match(SKIP)?.length ?? 0,
  };
}

/** Why `after` checks less than `before`, or undefined when it checks at least as much. */
export function weakening(path: string, before: TestStrength, after: TestStrength): string | undefined {
  if (after.cases < before.cases) return `${path}: ${before.cases - after.cases} test case(s) removed`;
  if (after.assertions < before.assertions)
    return `${path}: ${before.assertions - after.assertions} assertion(s) removed`;
  if (after.skipped > before.skipped)
    return `${path}: ${after.skipped - before.skipped} test(s) newly skipped`;
  return undefined;
}
