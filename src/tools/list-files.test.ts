import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CascadeContext } from '../core/context.js';
import { EventBus } from '../core/events.js';
import { listFilesTool } from './list-files.js';
import type { ToolCallContext } from './tool.js';
import { Workspace } from './workspace.js';

let base: string;
let root: string;
let call: ToolCallContext;

async function put(rel: string, content = ''): Promise<void> {
  await mkdir(dirname(join(root, rel)), { recursive: true });
  await writeFile(join(root, rel), content);
}

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'swarm-list-')));
  root = join(base, 'root');
  await put('README.md');
  await put('src/index.ts');
  await put('src/util/strings.ts');
  await put('src/util/strings.test.ts');
  await put('node_modules/zod/index.js');
  await put('.git/HEAD');
  await put('dist/index.js');
  await put(join('..', 'outside', 'secret.txt'));
  const ctx = CascadeContext.createRun({ agent: 't', task: 't', events: new EventBus() });
  call = { ctx, signal: ctx.signal, workspace: new Workspace(root), callId: 'call_1' };
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function list(args: Record<string, unknown> = {}): Promise<string[]> {
  return String(await listFilesTool.execute(listFilesTool.input.parse(args), call)).split('\n');
}

describe('list_files', () => {
  it('lists the tree sorted, directories with a slash, and skips generated and private directories', async () => {
    expect(await list()).toEqual([
      'README.md',
      'src/',
      'src/index.ts',
      'src/util/',
      'src/util/strings.test.ts',
      'src/util/strings.ts',
      '[not listed: .git/, dist/, node_modules/; pass one as path to list it]',
    ]);
  });

  it('lists a skipped directory when the path names it', async () => {
    expect(await list({ path: 'node_modules' })).toEqual(['node_modules/zod/', 'node_modules/zod/index.js']);
  });

  it('lists one level when not recursive', async () => {
    expect(await list({ path: 'src', recursive: false })).toEqual(['src/index.ts', 'src/util/']);
  });

  it('filters with a glob on file names or on paths', async () => {
    expect((await list({ glob: '*.test.ts' }))[0]).toBe('src/util/strings.test.ts');
    expect(await list({ path: 'src', glob: 'util/*.ts' })).toEqual([
      'src/util/strings.test.ts',
      'src/util/strings.ts',
    ]);
    expect((await list({ glob: 'src/**/*.ts' })).slice(0, 3)).toEqual([
      'src/index.ts',
      'src/util/strings.test.ts',
      'src/util/strings.ts',
    ]);
    expect((await list({ glob: '*.rs' }))[0]).toBe('(nothing under . matches *.rs)');
  });

  it('stops at maxEntries and says so', async () => {
    const lines = await list({ maxEntries: 2 });
    expect(lines.slice(0, 2)).toEqual(['README.md', 'src/']);
    expect(lines[2]).toMatch(/truncated after 2 entries/);
  });

  it('never follows symlinked directories that leave the root', async () => {
    await symlink(join(base, 'outside'), join(root, 'src', 'escape'));
    const lines = await list();
    expect(lines.some((l) => l.includes('escape') || l.includes('secret'))).toBe(false);
  });

  it('shows each file once, under its real path, even through symlink loops', async () => {
    await symlink(join(root, 'src'), join(root, 'src', 'util', 'loop'));
    await symlink(join(root, 'src', 'util'), join(root, 'lib'));
    const lines = await list();
    expect(lines).toContain('lib/ -> src/util/');
    expect(lines).toContain('src/util/loop/ -> src/');
    expect(lines.filter((l) => l.endsWith('index.ts'))).toEqual(['src/index.ts']);
  });

  it('walks a symlinked directory whose target lies outside the listed tree', async () => {
    await symlink(join(root, 'src', 'util'), join(root, 'docs-util'));
    expect(await list({ path: 'docs-util' })).toEqual(['src/util/strings.test.ts', 'src/util/strings.ts']);
    await mkdir(join(root, 'docs'));
    await symlink(join(root, 'src', 'util'), join(root, 'docs', 'util'));
    expect(await list({ path: 'docs' })).toEqual([
      'docs/util/',
      'docs/util/strings.test.ts',
      'docs/util/strings.ts',
    ]);
  });

  it('returns the path itself for a file', async () => {
    expect(await list({ path: 'src/index.ts' })).toEqual(['src/index.ts']);
  });
});
