import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileNotFoundError, WorkspaceEscapeError, WorkspaceRootError } from './errors.js';
import { Workspace } from './workspace.js';

let base: string;
let root: string;
let outside: string;
let ws: Workspace;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'swarm-ws-')));
  root = join(base, 'root');
  outside = join(base, 'outside');
  await mkdir(join(root, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  await writeFile(join(outside, 'secret.txt'), 'secret\n');
  ws = new Workspace(root);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('Workspace', () => {
  it('resolves relative and absolute paths inside the root to real paths', () => {
    expect(ws.root).toBe(root);
    expect(ws.resolve('src/a.ts')).toBe(join(root, 'src', 'a.ts'));
    expect(ws.resolve(join(root, 'src', 'a.ts'))).toBe(join(root, 'src', 'a.ts'));
    expect(ws.resolve('.')).toBe(root);
    expect(ws.resolve('')).toBe(root);
    expect(ws.resolve('src/../src/./a.ts')).toBe(join(root, 'src', 'a.ts'));
  });

  it('resolves a path that does not exist yet through its deepest existing ancestor', () => {
    expect(ws.resolve('src/new/dir/file.ts')).toBe(join(root, 'src', 'new', 'dir', 'file.ts'));
  });

  it('refuses .. traversal out of the root', () => {
    expect(() => ws.resolve('../outside/secret.txt')).toThrow(WorkspaceEscapeError);
    expect(() => ws.resolve('src/../../outside')).toThrow(/climbs out/);
    expect(() => ws.resolve('..')).toThrow(WorkspaceEscapeError);
  });

  it('refuses absolute paths elsewhere, including a sibling sharing the prefix', async () => {
    await mkdir(`${root}-other`);
    expect(() => ws.resolve('/etc/passwd')).toThrow(WorkspaceEscapeError);
    expect(() => ws.resolve(join(outside, 'secret.txt'))).toThrow(/outside the workspace/);
    expect(() => ws.resolve(`${root}-other`)).toThrow(WorkspaceEscapeError);
  });

  it('refuses a symlinked file whose target is outside', async () => {
    await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));
    expect(() => ws.resolve('leak.txt')).toThrow(/symbolic link/);
  });

  it('refuses a symlinked directory leading outside, for existing and future files under it', async () => {
    await symlink(outside, join(root, 'out'));
    expect(() => ws.resolve('out')).toThrow(WorkspaceEscapeError);
    expect(() => ws.resolve('out/secret.txt')).toThrow(WorkspaceEscapeError);
    expect(() => ws.resolve('out/not-yet/new.txt')).toThrow(WorkspaceEscapeError);
  });

  it('refuses a dangling symlink whose target would be created outside', async () => {
    await symlink(join(outside, 'created-later.txt'), join(root, 'dangling'));
    expect(() => ws.resolve('dangling')).toThrow(WorkspaceEscapeError);
    await symlink('../../outside/relative.txt', join(root, 'src', 'dangling-relative'));
    expect(() => ws.resolve('src/dangling-relative')).toThrow(WorkspaceEscapeError);
  });

  it('allows symlinks that stay inside and answers with their target', async () => {
    await symlink(join(root, 'src', 'a.ts'), join(root, 'alias.ts'));
    await symlink('src', join(root, 'source'));
    await symlink('src/later.ts', join(root, 'later-link'));
    expect(ws.resolve('alias.ts')).toBe(join(root, 'src', 'a.ts'));
    expect(ws.resolve('source/a.ts')).toBe(join(root, 'src', 'a.ts'));
    expect(ws.resolve('later-link')).toBe(join(root, 'src', 'later.ts'));
  });

  it('accepts absolute paths written through a symlinked root', async () => {
    const viaLink = join(base, 'root-link');
    await symlink(root, viaLink);
    const linked = new Workspace(viaLink);
    expect(linked.root).toBe(root);
    expect(linked.resolve(join(viaLink, 'src', 'a.ts'))).toBe(join(root, 'src', 'a.ts'));
    expect(linked.relative(join(viaLink, 'src'))).toBe('src');
  });

  it('gives paths relative to the root with forward slashes', () => {
    expect(ws.relative(root)).toBe('.');
    expect(ws.relative(join(root, 'src', 'a.ts'))).toBe('src/a.ts');
    expect(() => ws.relative(outside)).toThrow(WorkspaceEscapeError);
  });

  it('stats a file, or names the missing one relative to the root', async () => {
    const entry = await ws.stat('src/a.ts');
    expect(entry.rel).toBe('src/a.ts');
    expect(entry.stats.isFile()).toBe(true);
    const missing = await ws.stat('src/nope.ts').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FileNotFoundError);
    expect((missing as FileNotFoundError).path).toBe('src/nope.ts');
    expect((missing as FileNotFoundError).hint).toMatch(/list_files/);
  });

  it('refuses a root that does not exist or is a file', async () => {
    expect(() => new Workspace(join(base, 'missing'))).toThrow(WorkspaceRootError);
    expect(() => new Workspace(join(root, 'src', 'a.ts'))).toThrow(/not a directory/);
  });
});
