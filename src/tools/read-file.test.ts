import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CascadeContext } from '../core/context.js';
import { EventBus } from '../core/events.js';
import {
  BinaryFileError,
  FileNotFoundError,
  IsDirectoryError,
  LineRangeError,
  WorkspaceEscapeError,
} from './errors.js';
import { READ_FILE_MAX_BYTES, readFileTool } from './read-file.js';
import type { ToolCallContext } from './tool.js';
import { Workspace } from './workspace.js';

let dir: string;
let call: ToolCallContext;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swarm-read-'));
  const ctx = CascadeContext.createRun({ agent: 't', task: 't', events: new EventBus() });
  call = { ctx, signal: ctx.signal, workspace: new Workspace(dir), callId: 'call_1' };
  await writeFile(join(dir, 'five.txt'), 'one\ntwo\nthree\nfour\nfive\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function read(args: unknown): Promise<unknown> {
  return readFileTool.execute(readFileTool.input.parse(args), call);
}

describe('read_file', () => {
  it('returns the whole file under a header with the line range and total', async () => {
    expect(await read({ path: 'five.txt' })).toBe('five.txt (lines 1-5 of 5)\none\ntwo\nthree\nfour\nfive');
  });

  it('returns a range of lines', async () => {
    expect(await read({ path: 'five.txt', startLine: 2, endLine: 3 })).toBe(
      'five.txt (lines 2-3 of 5)\ntwo\nthree',
    );
    expect(await read({ path: 'five.txt', startLine: 4 })).toBe('five.txt (lines 4-5 of 5)\nfour\nfive');
    expect(await read({ path: 'five.txt', startLine: 5, endLine: 99 })).toBe(
      'five.txt (lines 5-5 of 5)\nfive',
    );
  });

  it('refuses a start past the end and an end before the start', async () => {
    await expect(read({ path: 'five.txt', startLine: 6 })).rejects.toThrow(LineRangeError);
    expect(readFileTool.input.safeParse({ path: 'five.txt', startLine: 3, endLine: 2 }).success).toBe(false);
  });

  it('keeps Windows line endings out of the text', async () => {
    await writeFile(join(dir, 'crlf.txt'), 'a\r\nb\r\n');
    expect(await read({ path: 'crlf.txt' })).toBe('crlf.txt (lines 1-2 of 2)\na\nb');
  });

  it('says when a file is empty', async () => {
    await writeFile(join(dir, 'empty.txt'), '');
    expect(await read({ path: 'empty.txt' })).toBe('empty.txt (empty file)');
  });

  it('refuses binary files', async () => {
    await writeFile(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    await expect(read({ path: 'image.png' })).rejects.toThrow(BinaryFileError);
  });

  it('caps the output and says how to read on', async () => {
    const line = 'x'.repeat(99);
    const count = Math.ceil((READ_FILE_MAX_BYTES * 1.5) / 100);
    await writeFile(join(dir, 'big.txt'), `${Array.from({ length: count }, () => line).join('\n')}\n`);
    const text = String(await read({ path: 'big.txt' }));
    const shown = READ_FILE_MAX_BYTES / 100;
    expect(text.split('\n')[0]).toBe(`big.txt (lines 1-${shown} of ${count})`);
    expect(Buffer.byteLength(text)).toBeLessThan(READ_FILE_MAX_BYTES + 500);
    expect(text).toMatch(
      new RegExp(`\\[truncated: output capped at 200 KB; call read_file with startLine: ${shown + 1}`),
    );
    const rest = String(await read({ path: 'big.txt', startLine: shown + 1 }));
    expect(rest.split('\n')[0]).toBe(`big.txt (lines ${shown + 1}-${count} of ${count})`);
  });

  it('cuts a single line longer than the cap without splitting a character', async () => {
    await writeFile(join(dir, 'minified.js'), `${'é'.repeat(READ_FILE_MAX_BYTES)}\nnext\n`);
    const text = String(await read({ path: 'minified.js' }));
    expect(text).toMatch(/line 1 alone is longer than 200 KB and was cut; call read_file with startLine: 2/);
    expect(text).not.toContain('\uFFFD');
  });

  it('names the problem for directories, missing files and paths outside', async () => {
    await mkdir(join(dir, 'sub'));
    await expect(read({ path: 'sub' })).rejects.toThrow(IsDirectoryError);
    await expect(read({ path: 'nope.txt' })).rejects.toThrow(FileNotFoundError);
    await expect(read({ path: '../etc/passwd' })).rejects.toThrow(WorkspaceEscapeError);
    await symlink('/etc/hostname', join(dir, 'host'));
    await expect(read({ path: 'host' })).rejects.toThrow(WorkspaceEscapeError);
  });
});
