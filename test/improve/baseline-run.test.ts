import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processAlive } from '../../src/core/process-alive.js';
import { ALL_TESTS, compareToBaseline, runBaseline } from '../../src/improve/analyse/baseline.js';
import { detectCommands } from '../../src/improve/analyse/commands.js';
import { writeTree } from '../support/harness.js';
import { tempProjects } from './temp-projects.js';

const repo = tempProjects('baseline');

const nodeTests = (body: string) => ({
  'package.json': JSON.stringify({ name: 'fixture', type: 'module', scripts: { test: 'node --test' } }),
  'math.test.js': `import test from 'node:test';\nimport assert from 'node:assert';\n${body}`,
});

describe('runBaseline with node --test', () => {
  it('records each test, and a change that breaks a passing test is a new failure', async () => {
    const dir = repo(
      nodeTests(
        "test('adds', () => assert.equal(1 + 1, 2));\n" +
          "test('already broken', () => assert.equal(1, 2));\n" +
          "test.describe('group', () => { test.it('nested', () => {}); });\n",
      ),
    );
    const before = await runBaseline(dir, await detectCommands(dir), { timeoutMs: 60_000 });
    expect(before.test?.runner).toBe('node-test');
    expect(before.test?.passed).toBe(false);
    expect(before.test?.tests).toEqual([
      { id: 'adds', status: 'passed' },
      { id: 'already broken', status: 'failed' },
      { id: 'group > nested', status: 'passed' },
    ]);
    expect(compareToBaseline(before, before).ok).toBe(true);

    writeTree(
      dir,
      nodeTests(
        "test('adds', () => assert.equal(1 + 1, 3));\n" +
          "test('already broken', () => assert.equal(1, 2));\n" +
          "test.describe('group', () => { test.it('nested', () => {}); });\n",
      ),
    );
    const after = await runBaseline(dir, await detectCommands(dir), { timeoutMs: 60_000 });
    const comparison = compareToBaseline(before, after);
    expect(comparison.newFailures).toEqual(['adds']);
    expect(comparison.ok).toBe(false);
  });

  it('kills a hanging test run, with the processes it started, at the timeout', async () => {
    const dir = repo(
      nodeTests(
        "import { writeFileSync } from 'node:fs';\n" +
          "test('hangs', async () => { writeFileSync('pid', String(process.pid)); await new Promise(() => setInterval(() => {}, 1000)); });\n",
      ),
    );
    const started = Date.now();
    const result = await runBaseline(
      dir,
      { test: { argv: ['npm', 'test'], source: 'test' } },
      { timeoutMs: 4_000 },
    );
    expect(result.test?.timedOut).toBe(true);
    expect(result.test?.passed).toBe(false);
    expect(result.test?.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(30_000);
    // The test process is a grandchild of npm (npm → sh → node --test → the file's process).
    const pidFile = join(dir, 'pid');
    expect(existsSync(pidFile)).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => processAlive(pid), { timeout: 10_000 }).toBe(false);
    const passing = { ...result, test: { ...result.test!, passed: true, timedOut: false } };
    const comparison = compareToBaseline(passing, result);
    expect(comparison.newFailures).toEqual([ALL_TESTS]);
    expect(comparison.testsTimedOut).toBe(true);
  }, 60_000);

  it('judges a runner it cannot read by its exit code', async () => {
    const dir = repo({ 'check.sh': 'exit 0\n' });
    const pass = await runBaseline(dir, { test: { argv: ['sh', 'check.sh'], source: 'test' } });
    expect(pass.test).toMatchObject({ runner: 'unknown', passed: true });
    expect(pass.test?.tests).toBeUndefined();
    writeTree(dir, { 'check.sh': 'echo broken; exit 3\n' });
    const fail = await runBaseline(dir, { test: { argv: ['sh', 'check.sh'], source: 'test' } });
    expect(fail.test).toMatchObject({ passed: false, exitCode: 3 });
    expect(fail.test?.outputTail).toContain('broken');
    expect(compareToBaseline(pass, fail).newFailures).toEqual([ALL_TESTS]);
    expect(compareToBaseline(fail, pass).ok).toBe(true);
  });

  it('reports a program that does not exist instead of throwing', async () => {
    const dir = repo({});
    const result = await runBaseline(dir, { lint: { argv: ['no-such-linter-swarm'], source: 'test' } });
    expect(result.lint?.spawnError).toMatch(/ENOENT/);
    expect(result.lint?.errors).toHaveLength(1);
  });
});

describe('runBaseline with pytest', () => {
  it('reads each passed and failed test from pytest -rA', async () => {
    const dir = repo({
      'pytest.ini': '[pytest]\n',
      'tests/test_math.py':
        'import pytest\n\ndef test_adds():\n    assert 1 + 1 == 2\n\ndef test_broken():\n    assert 1 == 2\n\n@pytest.mark.skip(reason="later")\ndef test_later():\n    pass\n',
    });
    const result = await runBaseline(dir, await detectCommands(dir), { timeoutMs: 60_000 });
    expect(result.test?.runner).toBe('pytest');
    // pytest's summary names a skip by file and line only (`SKIPPED [1] tests/test_math.py:9: later`): not a test.
    expect(result.test?.tests).toEqual([
      { id: 'tests/test_math.py::test_adds', status: 'passed' },
      { id: 'tests/test_math.py::test_broken', status: 'failed' },
    ]);
  }, 60_000);
});

describe('runBaseline with vitest and tsc', () => {
  it('reads vitest JSON per test and tsc errors, and only new type errors count', async () => {
    const dir = repo(
      {
        'package.json': JSON.stringify({ name: 'fixture', type: 'module', scripts: { test: 'vitest run' } }),
        'tsconfig.json': JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            module: 'nodenext',
            target: 'es2022',
            skipLibCheck: true,
          },
          include: ['src'],
        }),
        'src/a.ts': "export const n: number = 'old';\n",
        'src/a.test.ts':
          "import { expect, it } from 'vitest';\nit('passes', () => expect(1).toBe(1));\nit('fails', () => expect(1).toBe(2));\n",
      },
      { nodeModules: true },
    );
    const tsc = { argv: [resolve('node_modules/.bin/tsc'), '--noEmit', '-p', '.'], source: 'test' };
    const commands = { test: { argv: ['npm', 'test'], source: 'test' }, typecheck: tsc };
    const before = await runBaseline(dir, commands, { timeoutMs: 120_000 });
    expect(before.test?.runner).toBe('vitest');
    expect(before.test?.tests).toEqual([
      { id: 'src/a.test.ts > passes', status: 'passed' },
      { id: 'src/a.test.ts > fails', status: 'failed' },
    ]);
    expect(before.typecheck?.errors).toEqual([
      {
        file: 'src/a.ts',
        line: 1,
        code: 'TS2322',
        message: "Type 'string' is not assignable to type 'number'.",
      },
    ]);
    // The old error moves down a line and a new one appears: only the new one counts.
    writeTree(dir, {
      'src/a.ts': "\nexport const n: number = 'old';\nexport const b: boolean = 1;\n",
    });
    const after = await runBaseline(dir, { typecheck: tsc }, { timeoutMs: 120_000 });
    const comparison = compareToBaseline({ ...before, test: undefined }, after);
    expect(comparison.newTypeErrors).toEqual([
      {
        file: 'src/a.ts',
        line: 3,
        code: 'TS2322',
        message: "Type 'number' is not assignable to type 'boolean'.",
      },
    ]);
    expect(comparison.ok).toBe(false);
  }, 180_000);
});
