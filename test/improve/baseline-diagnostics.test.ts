import { describe, expect, it } from 'vitest';
import { compareToBaseline } from '../../src/improve/analyse/baseline.js';
import { parseDiagnostics } from '../../src/improve/analyse/diagnostics.js';
import { goResults, tapResults } from '../../src/improve/analyse/test-results.js';

const failed = { exitCode: 1, timedOut: false };

describe('parseDiagnostics', () => {
  it('reads Biome, ESLint stylish, mypy, ruff and go vet output', () => {
    const output = [
      'src/a.ts:82:33 lint/suspicious/noControlCharactersInRegex ━━━━━━━━━━━━━━━━',
      '',
      '  × Unexpected control character in a regular expression.',
      '',
      '/repo/src/b.js',
      "  3:7  error  'x' is assigned a value but never used  no-unused-vars",
      '  4:1  warning  Unexpected console statement  no-console',
      'pkg/m.py:3: error: Incompatible types in assignment  [assignment]',
      'pkg/n.py:1:8: F401 [*] `os` imported but unused',
      './cmd/main.go:12:2: unreachable code',
      "src/c.ts:4:1 - error TS2304: Cannot find name 'q'.",
    ].join('\n');
    expect(parseDiagnostics('/repo', output, failed)).toEqual([
      {
        file: 'src/a.ts',
        line: 82,
        code: 'lint/suspicious/noControlCharactersInRegex',
        message: 'Unexpected control character in a regular expression.',
      },
      {
        file: 'src/b.js',
        line: 3,
        code: 'no-unused-vars',
        message: "'x' is assigned a value but never used",
      },
      { file: 'pkg/m.py', line: 3, code: 'assignment', message: 'Incompatible types in assignment' },
      { file: 'pkg/n.py', line: 1, code: 'F401', message: '`os` imported but unused' },
      { file: 'cmd/main.go', line: 12, code: '', message: 'unreachable code' },
      { file: 'src/c.ts', line: 4, code: 'TS2304', message: "Cannot find name 'q'." },
    ]);
  });

  it('never takes a failed or timed-out command for a clean one', () => {
    expect(parseDiagnostics('/repo', 'Segmentation fault', failed)).toEqual([
      { file: '', code: 'exit', message: 'the command failed and printed no error Swarm can read' },
    ]);
    expect(parseDiagnostics('/repo', '', { exitCode: null, timedOut: true })[0]?.code).toBe('timeout');
    expect(parseDiagnostics('/repo', 'all good', { exitCode: 0, timedOut: false })).toEqual([]);
  });

  it('counts a repeated error as new only beyond the baseline count', () => {
    const error = { file: 'a.ts', code: 'TS2322', message: 'm' };
    const base = { dir: '/r', elapsedMs: 0, lint: undefined };
    const run = (n: number) => ({
      ...base,
      typecheck: {
        command: { argv: ['tsc'], source: 't' },
        argv: ['tsc'],
        exitCode: 1,
        timedOut: false,
        cancelled: false,
        durationMs: 1,
        outputTail: '',
        errors: Array.from({ length: n }, (_, i) => ({ ...error, line: i })),
      },
    });
    expect(compareToBaseline(run(2), run(2)).newTypeErrors).toEqual([]);
    expect(compareToBaseline(run(2), run(3)).newTypeErrors).toHaveLength(1);
    expect(compareToBaseline(run(2), run(1)).ok).toBe(true);
  });
});

describe('tapResults', () => {
  it('names nested tests by their suites and reads skips', () => {
    const tap = [
      'TAP version 13',
      '# Subtest: suite',
      '    # Subtest: inner',
      '    not ok 1 - inner',
      '      ---',
      '      ...',
      '    # Subtest: later',
      '    ok 2 - later # SKIP not now',
      '    1..2',
      'not ok 1 - suite',
      '# Subtest: top',
      'ok 2 - top',
      '1..2',
    ].join('\n');
    expect(tapResults(tap)).toEqual([
      { id: 'suite > inner', status: 'failed' },
      { id: 'suite > later', status: 'skipped' },
      { id: 'top', status: 'passed' },
    ]);
  });
});

describe('goResults', () => {
  it('reads the last outcome of each test from go test -json, leaving package events out', () => {
    const events = [
      { Action: 'start', Package: 'example.com/m' },
      { Action: 'run', Package: 'example.com/m', Test: 'TestAdd' },
      { Action: 'output', Package: 'example.com/m', Test: 'TestAdd', Output: '=== RUN   TestAdd\n' },
      { Action: 'pass', Package: 'example.com/m', Test: 'TestAdd', Elapsed: 0 },
      { Action: 'fail', Package: 'example.com/m', Test: 'TestSub/negative', Elapsed: 0 },
      { Action: 'skip', Package: 'example.com/m', Test: 'TestLater', Elapsed: 0 },
      { Action: 'fail', Package: 'example.com/m', Elapsed: 0.01 },
    ];
    const output = `# example.com/m\n${events.map((e) => JSON.stringify(e)).join('\n')}\nFAIL\n`;
    expect(goResults(output)).toEqual([
      { id: 'example.com/m > TestAdd', status: 'passed' },
      { id: 'example.com/m > TestSub/negative', status: 'failed' },
      { id: 'example.com/m > TestLater', status: 'skipped' },
    ]);
  });
});
