/**
 * Scenario conditions are JavaScript regular expressions. JS has no inline
 * `(?i)`, so `/source/flags` is accepted too; `g` and `y` are left out because
 * they make `test()` stateful and a rule would match only every other time.
 */
export function compilePattern(text: string): RegExp {
  const literal = /^\/(.+)\/([dimsuv]*)$/s.exec(text);
  return literal ? new RegExp(literal[1] ?? '', literal[2]) : new RegExp(text);
}
