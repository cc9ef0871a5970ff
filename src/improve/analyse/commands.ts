import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export type CommandPurpose = 'test' | 'lint' | 'typecheck';

export interface DetectedCommand {
  /** The program and its arguments; run without a shell. */
  argv: string[];
  /** Why this command: `package.json script "test"`, `go.mod`, `Makefile target "lint"`. */
  source: string;
}

/** For each purpose, the commands found, the most specific first (the project's own scripts before tool defaults). */
export type DetectedCommands = Record<CommandPurpose, DetectedCommand[]>;

const packageJsonSchema = z.object({
  scripts: z.record(z.string(), z.string()).optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
});

/** What `npm init` writes: a test script that only fails. */
const PLACEHOLDER_TEST = /no test specified/;
const TYPECHECK_SCRIPTS = ['typecheck', 'type-check', 'check-types', 'tsc', 'types'];

/**
 * The repository's test, lint and typecheck commands, read from its own
 * files at the root: package.json scripts (with the package manager its lock
 * file names), pytest/ruff/flake8/mypy/pyright configuration, go.mod,
 * Cargo.toml and Makefile targets. Nothing is run.
 */
export async function detectCommands(root: string): Promise<DetectedCommands> {
  const found: DetectedCommands = { test: [], lint: [], typecheck: [] };
  const names = new Set(await readdir(root).catch(() => [] as string[]));
  const files: RootFiles = {
    names,
    read: (name) =>
      names.has(name) ? readFile(join(root, name), 'utf8').catch(() => '') : Promise.resolve(''),
    dir: root,
  };
  const add: Add = (purpose, argv, source) => found[purpose].push({ argv, source });
  if (names.has('package.json')) nodeCommands(await files.read('package.json'), names, add);
  await pythonCommands(files, add);
  toolchainCommands(names, add);
  await makeCommands(files, add);
  return found;
}

type Add = (purpose: CommandPurpose, argv: string[], source: string) => void;

/** The names at the repository's root, and a reader that answers '' for a file that is not there. */
interface RootFiles {
  names: ReadonlySet<string>;
  read: (name: string) => Promise<string>;
  dir: string;
}

async function pythonCommands({ names, read, dir }: RootFiles, add: Add): Promise<void> {
  const pyproject = await read('pyproject.toml');
  const setupCfg = await read('setup.cfg');
  const toxIni = await read('tox.ini');
  const hasTests = names.has('conftest.py') || (await pythonTestsExist(dir, names));
  const pytestConfigured =
    names.has('pytest.ini') ||
    /\[tool\.pytest/.test(pyproject) ||
    /\[tool:pytest\]/.test(setupCfg) ||
    /\[pytest\]/.test(toxIni);
  const pytestRequired =
    hasTests && /pytest/.test(pyproject + setupCfg + (await read('requirements-dev.txt')));
  if (pytestConfigured || pytestRequired) add('test', ['python3', '-m', 'pytest'], 'pytest configuration');
  else if (hasTests) add('test', ['python3', '-m', 'unittest', 'discover'], 'Python test files (test_*.py)');
  if (names.has('ruff.toml') || names.has('.ruff.toml') || /\[tool\.ruff/.test(pyproject)) {
    add('lint', ['ruff', 'check', '.'], 'ruff configuration');
  }
  if (names.has('.flake8') || /\[flake8\]/.test(setupCfg + toxIni))
    add('lint', ['flake8'], 'flake8 configuration');
  if (names.has('mypy.ini') || /\[tool\.mypy\]/.test(pyproject) || /\[mypy\]/.test(setupCfg)) {
    add('typecheck', ['mypy', '.'], 'mypy configuration');
  }
  if (names.has('pyrightconfig.json') || /\[tool\.pyright\]/.test(pyproject)) {
    add('typecheck', ['pyright'], 'pyright configuration');
  }
}

/** Go and Rust: the toolchain's own commands, given its manifest. */
function toolchainCommands(names: ReadonlySet<string>, add: Add): void {
  if (names.has('go.mod')) {
    add('test', ['go', 'test', './...'], 'go.mod');
    add('lint', ['go', 'vet', './...'], 'go.mod');
    add('typecheck', ['go', 'build', './...'], 'go.mod');
  }
  if (names.has('Cargo.toml')) {
    add('test', ['cargo', 'test'], 'Cargo.toml');
    add('lint', ['cargo', 'clippy'], 'Cargo.toml');
    add('typecheck', ['cargo', 'check'], 'Cargo.toml');
  }
}

async function makeCommands({ names, read }: RootFiles, add: Add): Promise<void> {
  const makefile = ['GNUmakefile', 'makefile', 'Makefile'].find((name) => names.has(name));
  if (!makefile) return;
  // `name:` starts a rule; `name :=` is an assignment.
  const targets = new Set(
    [...(await read(makefile)).matchAll(/^([A-Za-z0-9_.-]+)\s*:(?!=)/gm)].map((m) => m[1]!),
  );
  if (targets.has('test')) add('test', ['make', 'test'], `${makefile} target "test"`);
  if (targets.has('lint')) add('lint', ['make', 'lint'], `${makefile} target "lint"`);
  const check = ['typecheck', 'type-check', 'check-types'].find((target) => targets.has(target));
  if (check) add('typecheck', ['make', check], `${makefile} target "${check}"`);
}

function nodeCommands(text: string, names: ReadonlySet<string>, add: Add): void {
  const parsed = packageJsonSchema.safeParse(safeJson(text));
  if (!parsed.success) return;
  const { scripts = {}, dependencies = {}, devDependencies = {} } = parsed.data;
  const deps = { ...dependencies, ...devDependencies };
  const manager = names.has('pnpm-lock.yaml')
    ? 'pnpm'
    : names.has('yarn.lock')
      ? 'yarn'
      : names.has('bun.lockb') || names.has('bun.lock')
        ? 'bun'
        : 'npm';
  const script = (name: string, purpose: CommandPurpose) =>
    add(
      purpose,
      name === 'test' ? [manager, 'test'] : [manager, 'run', name],
      `package.json script "${name}"`,
    );
  const test = ['test', 'test:unit'].find((name) => scripts[name] && !PLACEHOLDER_TEST.test(scripts[name]!));
  if (test) script(test, 'test');
  if (scripts.lint) script('lint', 'lint');
  const typecheck = TYPECHECK_SCRIPTS.find((name) => scripts[name]);
  if (typecheck) script(typecheck, 'typecheck');
  else if (names.has('tsconfig.json') && deps.typescript)
    add('typecheck', ['npx', 'tsc', '--noEmit'], 'tsconfig.json');
  if (!scripts.lint) {
    if ((names.has('biome.json') || names.has('biome.jsonc')) && deps['@biomejs/biome']) {
      add('lint', ['npx', 'biome', 'check', '.'], 'biome.json');
    } else if (
      [...names].some((name) => /^(eslint\.config\.[cm]?[jt]s|\.eslintrc(\..+)?)$/.test(name)) &&
      deps.eslint
    ) {
      add('lint', ['npx', 'eslint', '.'], 'ESLint configuration');
    }
  }
}

async function pythonTestsExist(root: string, names: ReadonlySet<string>): Promise<boolean> {
  const isTest = (name: string) => /^test_.*\.py$|_test\.py$/.test(name);
  if ([...names].some(isTest)) return true;
  if (!names.has('tests')) return false;
  const inside = await readdir(join(root, 'tests')).catch(() => [] as string[]);
  return inside.some(isTest);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
