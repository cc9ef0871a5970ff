import {
  type Baseline,
  type BaselineCommands,
  compareToBaseline,
  type Diagnostic,
  runBaseline,
} from '../analyse/index.js';
import type { GateRecord } from './candidate-result.js';
import type { GateRunner } from './gates.js';

export interface BaselineGateOptions {
  /** Per command; the whole process group is killed when it runs out. */
  timeoutMs: number;
  /** Keep changes in a repository with no test command (lint and typecheck still gate them). */
  noTests: boolean;
}

/**
 * The gates of every candidate, judged against `baseline` (the same commands
 * run on the untouched base commit): lint and typecheck first (no new
 * errors), and only if they pass, the tests (every test that passed still
 * passes, within the time bound).
 */
export function baselineGates(
  baseline: Baseline,
  commands: BaselineCommands,
  options: BaselineGateOptions,
): GateRunner {
  const cannotKeepReason = !commands.test
    ? 'the repository has no test command, so no change can be shown safe; pass --no-tests to keep changes checked by lint and typecheck only'
    : baseline.test?.timedOut
      ? `the test command (${commands.test.argv.join(' ')}) ran out of time (${options.timeoutMs} ms) on the unchanged code; raise --test-timeout`
      : '';
  return {
    canKeep: commands.test ? !baseline.test?.timedOut : options.noTests,
    cannotKeepReason,
    ...(baseline.test ? { baselineTestMs: baseline.test.durationMs } : {}),
    async check(dir, signal) {
      const gates: GateRecord[] = [];
      const run = (chosen: BaselineCommands) =>
        runBaseline(dir, chosen, { timeoutMs: options.timeoutMs, ...(signal ? { signal } : {}) });
      const { test, ...static_ } = commands;
      const checked = await run(static_);
      signal?.throwIfAborted();
      const first = compareToBaseline(withoutTests(baseline), checked);
      for (const [gate, fresh] of [
        ['lint', first.newLintErrors],
        ['typecheck', first.newTypeErrors],
      ] as const) {
        const result = checked[gate];
        if (!result) continue;
        gates.push({
          gate,
          ok: fresh.length === 0 && !result.timedOut,
          detail: result.timedOut
            ? `timed out after ${result.durationMs} ms and was killed`
            : fresh.length === 0
              ? `no new errors (${result.errors.length} in all, as at baseline)`
              : `${fresh.length} new error(s): ${describe(fresh)}`,
          durationMs: result.durationMs,
        });
      }
      if (gates.some((gate) => !gate.ok) || !test) return { gates };
      const tested = await run({ test });
      signal?.throwIfAborted();
      const comparison = compareToBaseline(baseline, tested);
      const ran = tested.test!;
      const passedBefore = baseline.test?.tests?.filter((t) => t.status === 'passed').length;
      gates.push({
        gate: 'test',
        ok: comparison.newFailures.length === 0 && !ran.timedOut,
        detail: ran.timedOut
          ? `the test command hung: killed at its timeout (${options.timeoutMs} ms)`
          : comparison.newFailures.length > 0
            ? `${comparison.newFailures.length} test(s) that passed at baseline now fail: ${comparison.newFailures.slice(0, 5).join('; ')}`
            : passedBefore !== undefined
              ? `all ${passedBefore} test(s) that passed at baseline still pass`
              : 'the test command passes, as at baseline',
        durationMs: ran.durationMs,
      });
      return { gates, testMs: ran.durationMs };
    },
  };
}

function withoutTests(baseline: Baseline): Baseline {
  const { test: _test, ...rest } = baseline;
  return rest;
}

function describe(errors: readonly Diagnostic[]): string {
  return errors
    .slice(0, 3)
    .map((d) => `${d.file || '(no file)'}${d.line ? `:${d.line}` : ''} ${d.code} ${d.message}`.trim())
    .join('; ');
}
