import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { DetectedCommand } from './commands.js';

/** The runners whose per-test results Swarm reads; `unknown` is judged by the exit code alone. */
export type TestRunnerKind = 'vitest' | 'jest' | 'node-test' | 'pytest' | 'go' | 'unknown';

/** A test command as Swarm runs it: with the runner's machine-readable reporter where one can be asked for. */
export interface TestInvocation {
  runner: TestRunnerKind;
  argv: string[];
  env: Record<string, string>;
  /** Where the runner writes its JSON report (vitest, jest). */
  reportFile?: string;
}

const PACKAGE_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
const scriptsSchema = z.object({ scripts: z.record(z.string(), z.string()).optional() });

/**
 * Recognises the runner behind a detected test command (the package.json
 * script's text for `npm test`) and adds the arguments that make it report
 * each test: vitest and jest write JSON to `reportFile`, pytest prints every
 * outcome with `-rA`, `go test` streams `-json`, and node's runner already
 * writes TAP when its output is not a terminal. A script that chains
 * commands (`&&`, `;`, `|`) is run as written: appended arguments would
 * reach only its last command.
 */
export async function testInvocation(
  dir: string,
  command: DetectedCommand,
  reportFile: string,
): Promise<TestInvocation> {
  const argv = command.argv;
  // Watch modes (vitest, jest) stay off in CI; a colourless report parses cleanly.
  const env = { CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' };
  const [program = '', ...rest] = argv;
  if (program === 'go' && rest[0] === 'test') {
    return { runner: 'go', argv: [program, 'test', '-json', ...rest.slice(1)], env };
  }
  if (argv.some((arg) => /(^|\/)pytest$/.test(arg))) {
    return { runner: 'pytest', argv: [...argv, '-rA', '-p', 'no:cacheprovider'], env };
  }
  // a runner called directly or through npx (`--test-command "npx vitest run src/x"`)
  const direct = program === 'npx' ? (rest.find((arg) => !arg.startsWith('-')) ?? '') : program;
  if (/(^|\/)vitest$/.test(direct)) {
    return {
      runner: 'vitest',
      argv: [...argv, '--reporter=json', `--outputFile=${reportFile}`],
      env,
      reportFile,
    };
  }
  if (/(^|\/)jest$/.test(direct)) {
    return { runner: 'jest', argv: [...argv, '--json', `--outputFile=${reportFile}`], env, reportFile };
  }
  if (!PACKAGE_MANAGERS.has(program)) return { runner: 'unknown', argv, env };
  const script = await scriptText(dir, rest[0] === 'run' ? rest[1] : rest[0]);
  if (script === undefined || /&&|\|\||;|\|/.test(script)) return { runner: 'unknown', argv, env };
  // npm needs `--` before arguments meant for the script; pnpm, yarn and bun pass them on.
  const extra = (args: string[]) => (program === 'npm' ? [...argv, '--', ...args] : [...argv, ...args]);
  if (/\bvitest\b/.test(script)) {
    return {
      runner: 'vitest',
      argv: extra(['--reporter=json', `--outputFile=${reportFile}`]),
      env,
      reportFile,
    };
  }
  if (/\bjest\b/.test(script)) {
    return { runner: 'jest', argv: extra(['--json', `--outputFile=${reportFile}`]), env, reportFile };
  }
  if (/\bnode\b.*\s--test\b/.test(script)) return { runner: 'node-test', argv, env };
  return { runner: 'unknown', argv, env };
}

async function scriptText(dir: string, name: string | undefined): Promise<string | undefined> {
  if (!name) return undefined;
  try {
    const parsed = scriptsSchema.safeParse(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')));
    return parsed.success ? parsed.data.scripts?.[name] : undefined;
  } catch {
    return undefined;
  }
}
