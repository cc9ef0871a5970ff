import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { z } from 'zod';
import type { TestInvocation } from './test-runners.js';

export type TestStatus = 'passed' | 'failed' | 'skipped';

export interface TestResult {
  /** Stable across runs: `file > suite > name` where the runner names the file. */
  id: string;
  status: TestStatus;
}

const jsonReportSchema = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      assertionResults: z.array(
        z.object({
          fullName: z.string().optional(),
          title: z.string(),
          ancestorTitles: z.array(z.string()).default([]),
          status: z.string(),
        }),
      ),
    }),
  ),
});

const goEventSchema = z.object({
  Action: z.string(),
  Package: z.string().optional(),
  Test: z.string().optional(),
});

/**
 * The per-test outcomes of a finished run, read the runner's own way, or
 * `undefined` when it gave none (no report file, unknown runner, a crash
 * before any test ran): the caller then judges by the exit code.
 */
export async function readTestResults(
  dir: string,
  invocation: TestInvocation,
  output: string,
): Promise<TestResult[] | undefined> {
  let results: TestResult[] = [];
  switch (invocation.runner) {
    case 'vitest':
    case 'jest':
      results = invocation.reportFile ? await jsonReport(dir, invocation.reportFile) : [];
      break;
    case 'node-test':
      results = tapResults(output);
      break;
    case 'pytest':
      results = pytestResults(output);
      break;
    case 'go':
      results = goResults(output);
      break;
    case 'unknown':
      results = tapResults(output);
      break;
  }
  return results.length > 0 ? results : undefined;
}

async function jsonReport(dir: string, file: string): Promise<TestResult[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
  const parsed = jsonReportSchema.safeParse(data);
  if (!parsed.success) return [];
  return parsed.data.testResults.flatMap((suite) => {
    const path = isAbsolute(suite.name) ? relative(dir, suite.name) : suite.name;
    return suite.assertionResults.map((test) => ({
      id: [path, ...test.ancestorTitles, test.title].join(' > '),
      status: jestStatus(test.status),
    }));
  });
}

function jestStatus(status: string): TestStatus {
  if (status === 'passed') return 'passed';
  return status === 'failed' ? 'failed' : 'skipped';
}

/**
 * TAP 13 as node's runner writes it: `ok N - name` / `not ok N - name`,
 * subtests indented four spaces under their `# Subtest:` parent. A parent
 * (suite) is reported only through its leaves.
 */
export function tapResults(output: string): TestResult[] {
  const results: TestResult[] = [];
  const names: string[] = [];
  const lines = output.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const subtest = /^(\s*)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      names.length = Math.floor(subtest[1]!.length / 4);
      names.push(subtest[2]!);
      continue;
    }
    const point = /^(\s*)(not ok|ok)\s+\d+(?:\s+-)?\s*(.*?)(?:\s+#\s+(SKIP|TODO)\b.*)?$/i.exec(line);
    if (!point) continue;
    const depth = Math.floor(point[1]!.length / 4);
    const isParent =
      /^\s*1\.\.\d+$/.test(lines[i - 1] ?? '') && lines[i - 1]!.match(/^\s*/)![0].length > point[1]!.length;
    const path = [...names.slice(0, depth), point[3]!];
    names.length = depth;
    if (isParent) continue;
    const status: TestStatus = point[4] ? 'skipped' : point[2] === 'ok' ? 'passed' : 'failed';
    results.push({ id: path.join(' > '), status });
  }
  return results;
}

/** pytest's `-rA` summary: `PASSED tests/test_x.py::test_a`, `FAILED ... - reason`. */
export function pytestResults(output: string): TestResult[] {
  const results = new Map<string, TestStatus>();
  for (const match of output.matchAll(/^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\s+(\S+::\S+)/gm)) {
    const word = match[1]!;
    results.set(
      match[2]!,
      word === 'PASSED' || word === 'XPASS'
        ? 'passed'
        : word === 'FAILED' || word === 'ERROR'
          ? 'failed'
          : 'skipped',
    );
  }
  return [...results].map(([id, status]) => ({ id, status }));
}

/** `go test -json`: one event per line; the last pass/fail/skip of each test counts. */
export function goResults(output: string): TestResult[] {
  const results = new Map<string, TestStatus>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = goEventSchema.safeParse(event);
    if (!parsed.success || !parsed.data.Test) continue;
    const { Action, Package = '', Test } = parsed.data;
    if (Action === 'pass' || Action === 'fail' || Action === 'skip') {
      results.set(
        `${Package} > ${Test}`,
        Action === 'pass' ? 'passed' : Action === 'fail' ? 'failed' : 'skipped',
      );
    }
  }
  return [...results].map(([id, status]) => ({ id, status }));
}
