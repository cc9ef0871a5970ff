import { chmod, mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceEscapeError } from '../../tools/index.js';
import { applyEdits } from './apply-edits.js';
import type { EditBlock } from './edit-block.js';
import { EditMatchError } from './errors.js';

let root: string;

beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'swarm-edits-')));
  await mkdir(join(root, 'src'));
  await writeFile(join(root, 'src', 'a.ts'), 'export const a = 1;\nexport const b = 2;\n');
  await writeFile(join(root, 'src', 'b.ts'), 'export function f() {\n  return 1;\n}\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const block = (path: string, search: string, replace: string): EditBlock => ({
  path,
  search,
  replace,
  line: 1,
});
const read = (path: string) => readFile(join(root, path), 'utf8');

async function rejection(run: Promise<unknown>): Promise<EditMatchError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof EditMatchError)) throw new Error(`expected EditMatchError, got ${String(error)}`);
  return error;
}

describe('applyEdits', () => {
  it('applies blocks to several files, later blocks seeing earlier ones, and reports each rung', async () => {
    const result = await applyEdits(root, [
      block('src/a.ts', 'export const a = 1;\n', 'export const a = 10;\n'),
      block(
        'src/a.ts',
        'export const a = 10;\nexport const b = 2;\n',
        'export const a = 10;\nexport const b = 20;\n',
      ),
      block('src/b.ts', 'return 1;\n', 'return 2;\n'),
    ]);
    expect(await read('src/a.ts')).toBe('export const a = 10;\nexport const b = 20;\n');
    expect(await read('src/b.ts')).toBe('export function f() {\n  return 2;\n}\n');
    expect(result.applied.map((a) => [a.path, a.rung, a.startLine])).toEqual([
      ['src/a.ts', 'exact', 1],
      ['src/a.ts', 'exact', 1],
      ['src/b.ts', 'whitespace', 2],
    ]);
    expect(result.changes.map((c) => c.path).sort()).toEqual(['src/a.ts', 'src/b.ts']);
  });

  it('changes no file at all when any block fails, and says which and why', async () => {
    const error = await rejection(
      applyEdits(root, [
        block('src/a.ts', 'export const a = 1;\n', 'export const a = 10;\n'),
        block('src/b.ts', 'export function g(x) {\n  return x * 2 + other;\n}\n', 'gone\n'),
      ]),
    );
    expect(await read('src/a.ts')).toBe('export const a = 1;\nexport const b = 2;\n');
    expect(error.failures).toHaveLength(1);
    expect(error.failures[0]).toMatchObject({ index: 1, problem: 'no-match' });
    expect(error.failures[0]?.didYouMean).toContain('1 │ export function f() {');
    expect(error.feedback).toContain('Did you mean these lines of src/b.ts?');
    expect(error.feedback).toContain('The other 1 block(s) matched');
  });

  it('reports an ambiguous block with its locations and flags a REPLACE already present', async () => {
    await writeFile(join(root, 'twice.txt'), 'x\ny\nx\ny\n');
    const error = await rejection(
      applyEdits(root, [
        block('twice.txt', 'x\ny\n', 'z\n'),
        block('src/a.ts', 'nothing like it\n', 'export const b = 2;\n'),
      ]),
    );
    expect(error.failures[0]).toMatchObject({ problem: 'ambiguous', locations: [1, 3] });
    expect(error.failures[1]).toMatchObject({ problem: 'no-match', alreadyApplied: true });
  });

  it('creates a new file (and its directories) from an empty SEARCH, refuses one over an existing file', async () => {
    await applyEdits(root, [block('docs/deep/new.md', '', '# Title\n')]);
    expect(await read('docs/deep/new.md')).toBe('# Title\n');
    const error = await rejection(applyEdits(root, [block('src/a.ts', '', 'replacement\n')]));
    expect(error.failures[0]?.problem).toBe('file-exists');
    const again = await applyEdits(root, [block('docs/deep/new.md', '', '# Title\n')]);
    expect(again.applied[0]?.rung).toBe('unchanged');
    expect(again.changes).toEqual([]);
  });

  it('refuses a SEARCH for a file that does not exist, resolving shortened paths from the known files', async () => {
    const error = await rejection(
      applyEdits(root, [block('missing.ts', 'x\n', 'y\n'), block('src', '', 'x\n')]),
    );
    expect(error.failures.map((f) => f.problem)).toEqual(['file-missing', 'file-missing']);
    expect(error.failures[1]?.detail).toMatch(/src is a directory/);
    await applyEdits(root, [block('b.ts', 'return 1;\n', 'return 3;\n')], {
      knownPaths: ['src/a.ts', 'src/b.ts'],
    });
    expect(await read('src/b.ts')).toContain('return 3;');
  });

  it('confines every path to the root before touching anything', async () => {
    const blocks = [
      block('src/a.ts', 'export const a = 1;\n', 'changed\n'),
      block('../outside.txt', '', 'x\n'),
    ];
    await expect(applyEdits(root, blocks)).rejects.toBeInstanceOf(WorkspaceEscapeError);
    await expect(applyEdits(root, [block('/etc/passwd', 'root\n', 'x\n')])).rejects.toBeInstanceOf(
      WorkspaceEscapeError,
    );
    expect(await read('src/a.ts')).toBe('export const a = 1;\nexport const b = 2;\n');
  });

  it('keeps CRLF line endings, a missing final newline and the file mode', async () => {
    await writeFile(join(root, 'win.txt'), 'one\r\ntwo\r\nthree');
    await chmod(join(root, 'win.txt'), 0o755);
    await applyEdits(root, [block('win.txt', 'two\n', 'TWO\n')]);
    expect(await read('win.txt')).toBe('one\r\nTWO\r\nthree');
    expect((await stat(join(root, 'win.txt'))).mode & 0o777).toBe(0o755);
  });

  it('writes nothing in a dry run but reports the changes', async () => {
    const result = await applyEdits(
      root,
      [block('src/a.ts', 'export const a = 1;\n', 'export const a = 5;\n')],
      {
        dryRun: true,
      },
    );
    expect(result.changes[0]?.after).toBe('export const a = 5;\nexport const b = 2;\n');
    expect(await read('src/a.ts')).toBe('export const a = 1;\nexport const b = 2;\n');
  });

  it('puts written files back when a later write fails', async () => {
    await writeFile(join(root, 'blocker'), 'a file where a directory is needed\n');
    await expect(
      applyEdits(root, [
        block('src/a.ts', 'export const a = 1;\n', 'export const a = 7;\n'),
        block('blocker/new.ts', '', 'x\n'),
      ]),
    ).rejects.toThrow();
    expect(await read('src/a.ts')).toBe('export const a = 1;\nexport const b = 2;\n');
  });
});
