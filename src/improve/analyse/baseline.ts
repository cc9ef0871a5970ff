import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandPurpose, DetectedCommand, DetectedCommands } from './commands.js';
import { type Diagnostic, diagnosticKey, parseDiagnostics } from './diagnostics.js';
import { type CommandRun, runCommand } from './run-command.js';
import { readTestResults, type TestResult } from './test-results.js';
import { type TestRunnerKind, testInvocation } from './test-runners.js';

/** The commands a baseline runs: at most one per purpose (the first detected, by default). */
export type BaselineCommands = Partial<Record<CommandPurpose, DetectedCommand>>;

/** A finished command, with the end of its output for the report. */
export interface CheckRun extends Omit<CommandRun, 'output'> {
  command: DetectedCommand;
  /** The last few KiB of what it printed. */
  outputTail: string;
}

export interface TestRun extends CheckRun {
  runner: TestRunnerKind;
  /** Each test's outcome, when the runner reported them; otherwise the run is judged as a whole. */
  tests?: TestResult[];
  /** Exited 0 in time. */
  passed: boolean;
}

export interface DiagnosticsRun extends CheckRun {
  errors: Diagnostic[];
}

/** What the test, lint and typecheck commands say about one tree. */
export interface Baseline {
  dir: string;
  test?: TestRun;
  lint?: DiagnosticsRun;
  typecheck?: DiagnosticsRun;
  elapsedMs: number;
}

export interface BaselineOptions {
  /** Per command (default 10 minutes); the whole process group is killed when it runs out. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_BASELINE_TIMEOUT_MS = 10 * 60_000;
const OUTPUT_TAIL = 8 * 1024;

/**
 * Runs a tree's typecheck, lint and test commands, one after the other, and
 * records what each reports: every test's outcome where the runner can give
 * it (vitest and jest JSON, node's TAP, pytest `-rA`, `go test -json`),
 * otherwise whether the command passed; every lint and typecheck error,
 * normalised for comparison. Run once on the base commit and again on each
 * candidate's worktree, then `compareToBaseline`. Accepts the detected
 * commands (the first of each purpose is used) or one command per purpose.
 */
export async function runBaseline(
  dir: string,
  commands: DetectedCommands | BaselineCommands,
  options: BaselineOptions = {},
): Promise<Baseline> {
  const started = Date.now();
  const chosen = pick(commands);
  const timeoutMs = options.timeoutMs ?? DEFAULT_BASELINE_TIMEOUT_MS;
  const run = (argv: string[], env: Record<string, string> = {}) =>
    runCommand(argv, { cwd: dir, timeoutMs, env, ...(options.signal ? { signal: options.signal } : {}) });
  const baseline: Baseline = { dir, elapsedMs: 0 };
  for (const purpose of ['typecheck', 'lint'] as const) {
    const command = chosen[purpose];
    if (!command) continue;
    const result = await run(command.argv, { NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' });
    baseline[purpose] = {
      ...checkRun(command, result),
      errors: parseDiagnostics(dir, result.output, result),
    };
  }
  if (chosen.test) baseline.test = await runTests(dir, chosen.test, run);
  baseline.elapsedMs = Date.now() - started;
  return baseline;
}

async function runTests(
  dir: string,
  command: DetectedCommand,
  run: (argv: string[], env: Record<string, string>) => Promise<CommandRun>,
): Promise<TestRun> {
  const reports = await mkdtemp(join(tmpdir(), 'swarm-baseline-'));
  try {
    const invocation = await testInvocation(dir, command, join(reports, 'report.json'));
    const result = await run(invocation.argv, invocation.env);
    const tests = result.timedOut ? undefined : await readTestResults(dir, invocation, result.output);
    return {
      ...checkRun(command, result),
      argv: invocation.argv,
      runner: invocation.runner,
      ...(tests ? { tests } : {}),
      passed: result.exitCode === 0,
    };
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
}

function checkRun(command: DetectedCommand, result: CommandRun): CheckRun {
  const { output, ...rest } = result;
  return { ...rest, command, outputTail: output.slice(-OUTPUT_TAIL) };
}

function pick(commands: DetectedCommands | BaselineCommands): BaselineCommands {
  const chosen: BaselineCommands = {};
  for (const purpose of ['test', 'lint', 'typecheck'] as const) {
    const value = commands[purpose];
    const command = Array.isArray(value) ? value[0] : value;
    if (command) chosen[purpose] = command;
  }
  return chosen;
}

/** What got worse between the baseline and a changed tree. */
export interface BaselineComparison {
  /** Tests that passed at baseline and now fail, are skipped or did not run; `(all tests)` for a whole-command judgement. */
  newFailures: string[];
  newLintErrors: Diagnostic[];
  newTypeErrors: Diagnostic[];
  /** The test command ran out of time on the changed tree. */
  testsTimedOut: boolean;
  ok: boolean;
}

/** The label of a whole-command test judgement, when the runner reports no single tests. */
export const ALL_TESTS = '(all tests)';

/**
 * Compares a changed tree's run with the baseline: a test that passed must
 * still pass (missing counts as failing); a lint or typecheck error is new
 * when the changed tree has more of it (same file, code and message) than the
 * baseline had, so errors that merely moved are not new and errors that were
 * already there are not blamed on the change.
 */
export function compareToBaseline(baseline: Baseline, after: Baseline): BaselineComparison {
  const newFailures = testRegressions(baseline.test, after.test);
  const newLintErrors = newErrors(baseline.lint?.errors ?? [], after.lint?.errors ?? []);
  const newTypeErrors = newErrors(baseline.typecheck?.errors ?? [], after.typecheck?.errors ?? []);
  return {
    newFailures,
    newLintErrors,
    newTypeErrors,
    testsTimedOut: after.test?.timedOut ?? false,
    ok: newFailures.length === 0 && newLintErrors.length === 0 && newTypeErrors.length === 0,
  };
}

function testRegressions(before: TestRun | undefined, after: TestRun | undefined): string[] {
  if (!before) return [];
  if (before.tests && (after?.tests || !after?.passed)) {
    const now = new Map((after?.tests ?? []).map((test) => [test.id, test.status]));
    return before.tests
      .filter((test) => test.status === 'passed' && now.get(test.id) !== 'passed')
      .map((test) => test.id);
  }
  return before.passed && !after?.passed ? [ALL_TESTS] : [];
}

function newErrors(before: readonly Diagnostic[], after: readonly Diagnostic[]): Diagnostic[] {
  const remaining = new Map<string, number>();
  for (const d of before) remaining.set(diagnosticKey(d), (remaining.get(diagnosticKey(d)) ?? 0) + 1);
  const fresh: Diagnostic[] = [];
  for (const d of after) {
    const key = diagnosticKey(d);
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else fresh.push(d);
  }
  return fresh;
}
