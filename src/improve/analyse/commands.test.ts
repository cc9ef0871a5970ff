import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectCommands } from './commands.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'swarm-commands-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const write = (name: string, text: string) => writeFile(join(root, name), text);
const argvs = (list: ReadonlyArray<{ argv: string[] }>) => list.map((c) => c.argv.join(' '));

describe('detectCommands', () => {
  it('reads package.json scripts with the package manager of the lock file', async () => {
    await write(
      'package.json',
      JSON.stringify({ scripts: { test: 'vitest run', lint: 'biome check .', 'check-types': 'tsc' } }),
    );
    await write('pnpm-lock.yaml', '');
    const found = await detectCommands(root);
    expect(argvs(found.test)).toEqual(['pnpm test']);
    expect(argvs(found.lint)).toEqual(['pnpm run lint']);
    expect(argvs(found.typecheck)).toEqual(['pnpm run check-types']);
    expect(found.test[0]?.source).toBe('package.json script "test"');
  });

  it('ignores the npm init placeholder and falls back to tsc and biome from their configs', async () => {
    await write(
      'package.json',
      JSON.stringify({
        scripts: { test: 'echo "Error: no test specified" && exit 1' },
        devDependencies: { typescript: '5', '@biomejs/biome': '2' },
      }),
    );
    await write('tsconfig.json', '{}');
    await write('biome.json', '{}');
    const found = await detectCommands(root);
    expect(found.test).toEqual([]);
    expect(argvs(found.typecheck)).toEqual(['npx tsc --noEmit']);
    expect(argvs(found.lint)).toEqual(['npx biome check .']);
  });

  it('finds pytest, ruff and mypy from pyproject.toml, and unittest from test files alone', async () => {
    await write('pyproject.toml', '[tool.pytest.ini_options]\n[tool.ruff]\nline-length = 100\n[tool.mypy]\n');
    const found = await detectCommands(root);
    expect(argvs(found.test)).toEqual(['python3 -m pytest']);
    expect(argvs(found.lint)).toEqual(['ruff check .']);
    expect(argvs(found.typecheck)).toEqual(['mypy .']);
    await rm(join(root, 'pyproject.toml'));
    await mkdir(join(root, 'tests'));
    await write('tests/test_thing.py', 'def test_x(): pass\n');
    expect(argvs((await detectCommands(root)).test)).toEqual(['python3 -m unittest discover']);
  });

  it('finds go, cargo and make commands', async () => {
    await write('go.mod', 'module example.com/m\n');
    await write('Cargo.toml', '[package]\nname = "x"\n');
    await write('Makefile', 'VAR := 1\ntest: build\n\tgo test\nlint:\n\tgolint\n');
    const found = await detectCommands(root);
    expect(argvs(found.test)).toEqual(['go test ./...', 'cargo test', 'make test']);
    expect(argvs(found.lint)).toEqual(['go vet ./...', 'cargo clippy', 'make lint']);
    expect(argvs(found.typecheck)).toEqual(['go build ./...', 'cargo check']);
  });

  it('finds nothing in an empty directory', async () => {
    expect(await detectCommands(root)).toEqual({ test: [], lint: [], typecheck: [] });
  });
});
