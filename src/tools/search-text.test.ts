import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CascadeContext } from '../core/context.js';
import { EventBus } from '../core/events.js';
import { BinaryFileError, InvalidPatternError } from './errors.js';
import { searchTextTool } from './search-text.js';
import type { ToolCallContext } from './tool.js';
import { Workspace } from './workspace.js';

let root: string;
let call: ToolCallContext;

async function put(rel: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(join(root, rel)), { recursive: true });
  await writeFile(join(root, rel), content);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'swarm-search-'));
  await put('src/a.ts', 'const Budget = 1;\n// budget check\nconst total = a.b(1);\n');
  await put('src/b.md', 'The BUDGET is spent.\n');
  await put('node_modules/x/index.js', 'budget\n');
  await put('logo.bin', Buffer.concat([Buffer.from('budget'), Buffer.from([0]), Buffer.from('budget')]));
  const ctx = CascadeContext.createRun({ agent: 't', task: 't', events: new EventBus() });
  call = { ctx, signal: ctx.signal, workspace: new Workspace(root), callId: 'call_1' };
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function search(args: Record<string, unknown>, context = call): Promise<string[]> {
  return String(await searchTextTool.execute(searchTextTool.input.parse(args), context)).split('\n');
}

describe('search_text', () => {
  it('finds plain text case-insensitively by default, skipping binaries and node_modules', async () => {
    expect(await search({ pattern: 'budget' })).toEqual([
      'src/a.ts:1: const Budget = 1;',
      'src/a.ts:2: // budget check',
      'src/b.md:1: The BUDGET is spent.',
      '[not searched: node_modules/; pass one as path to search it]',
    ]);
  });

  it('matches case exactly when asked', async () => {
    expect(await search({ pattern: 'Budget', caseSensitive: true })).toEqual([
      'src/a.ts:1: const Budget = 1;',
      expect.any(String),
    ]);
  });

  it('treats a plain pattern literally, special characters included', async () => {
    expect((await search({ pattern: 'a.b(' }))[0]).toBe('src/a.ts:3: const total = a.b(1);');
  });

  it('searches with a regular expression', async () => {
    expect((await search({ pattern: '^const \\w+ =', regex: true })).slice(0, 2)).toEqual([
      'src/a.ts:1: const Budget = 1;',
      'src/a.ts:3: const total = a.b(1);',
    ]);
  });

  it('reports an invalid regular expression clearly', async () => {
    const error = await search({ pattern: 'budget(', regex: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPatternError);
    expect((error as Error).message).toBe('invalid regular expression /budget(/: Unterminated group');
    expect((error as InvalidPatternError).hint).toMatch(/regex: false/);
  });

  it('narrows by path and glob', async () => {
    expect(await search({ pattern: 'budget', glob: '*.md' })).toEqual([
      'src/b.md:1: The BUDGET is spent.',
      expect.stringMatching(/not searched/),
    ]);
    expect(await search({ pattern: 'budget', path: 'node_modules' })).toEqual([
      'node_modules/x/index.js:1: budget',
    ]);
  });

  it('stops at maxResults and says so', async () => {
    const lines = await search({ pattern: 'budget', maxResults: 2 });
    expect(lines.slice(0, 2)).toEqual(['src/a.ts:1: const Budget = 1;', 'src/a.ts:2: // budget check']);
    expect(lines[2]).toMatch(/stopped at 2 matches/);
  });

  it('says when nothing matches', async () => {
    expect((await search({ pattern: 'nowhere', path: 'src' }))[0]).toBe(
      'no matches for "nowhere" in src (2 file(s) searched)',
    );
  });

  it('refuses a binary file named explicitly', async () => {
    await expect(search({ pattern: 'budget', path: 'logo.bin' })).rejects.toThrow(BinaryFileError);
  });

  it('stops when the run is cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the user'));
    await expect(search({ pattern: 'budget' }, { ...call, signal: controller.signal })).rejects.toThrow(
      'cancelled by the user',
    );
  });
});
