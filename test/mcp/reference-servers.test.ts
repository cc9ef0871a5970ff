import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpToolError } from '../../src/mcp/errors.js';
import { McpToolbox } from '../../src/mcp/toolbox.js';
import { builtinTools } from '../../src/tools/builtins.js';
import { referenceServer } from '../support/mcp-servers.js';

const dir = mkdtempSync(join(tmpdir(), 'swarm-mcp-ref-'));
const sandbox = join(dir, 'sandbox');
const memoryFile = join(dir, 'graph.jsonl');
let toolbox: McpToolbox;
const ctx = { signal: new AbortController().signal } as never;

beforeAll(async () => {
  writeFileSync(join(dir, 'outside.txt'), 'secret');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(sandbox);
  writeFileSync(join(sandbox, 'notes.md'), '# Notes\nline two\n');
  toolbox = await McpToolbox.open({
    root: dir,
    localTools: builtinTools(),
    section: {
      discover: false,
      servers: {
        everything: referenceServer('server-everything'),
        fs: referenceServer('server-filesystem', [sandbox]),
        memory: referenceServer('server-memory', [], { MEMORY_FILE_PATH: memoryFile }),
      },
    },
  });
}, 60_000);
afterAll(async () => {
  await toolbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const tool = (name: string) => {
  const found = toolbox.tools().find((t) => t.name === name);
  if (!found)
    throw new Error(
      `no tool ${name}; have ${toolbox
        .tools()
        .map((t) => t.name)
        .join(', ')}`,
    );
  return found;
};

describe('the pool against the reference MCP servers (stdio)', () => {
  it('connects all three and namespaces their tools by server', () => {
    const servers = toolbox.servers();
    expect(servers.map((s) => [s.name, s.state])).toEqual([
      ['everything', 'ready'],
      ['fs', 'ready'],
      ['memory', 'ready'],
    ]);
    expect(servers.every((s) => s.tools > 5 && s.skippedTools.length === 0)).toBe(true);
    const names = toolbox.tools().map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['everything__get-sum', 'fs__read_text_file', 'memory__create_entities']),
    );
    expect(names.every((n) => /^[a-zA-Z0-9_-]{1,64}$/.test(n))).toBe(true);
  });

  it('server-everything: typed arguments, text results, structured content', async () => {
    expect(await tool('everything__get-sum').execute({ a: 2, b: 40 }, ctx)).toBe(
      'The sum of 2 and 40 is 42.',
    );
    expect(tool('everything__get-sum').input.safeParse({ a: 'two', b: 1 }).success).toBe(false);
    const weather = (await tool('everything__get-structured-content').execute(
      { location: 'Chicago' },
      ctx,
    )) as Record<string, unknown>;
    expect(weather).toHaveProperty('temperature');
    expect(tool('everything__get-structured-content').input.safeParse({ location: 'Paris' }).success).toBe(
      false,
    );
  });

  it('server-filesystem: reads and writes inside its root; a path outside comes back as McpToolError', async () => {
    const read = (await tool('fs__read_text_file').execute({ path: join(sandbox, 'notes.md') }, ctx)) as {
      content: string;
    };
    expect(read.content).toBe('# Notes\nline two\n');
    await tool('fs__write_file').execute(
      { path: join(sandbox, 'new.txt'), content: 'written by swarm' },
      ctx,
    );
    expect(readFileSync(join(sandbox, 'new.txt'), 'utf8')).toBe('written by swarm');
    const outside = tool('fs__write_file').execute({ path: join(dir, 'escape.txt'), content: 'no' }, ctx);
    await expect(outside).rejects.toBeInstanceOf(McpToolError);
    await expect(outside).rejects.toThrow(/Access denied - path outside allowed directories/);
    expect(existsSync(join(dir, 'escape.txt'))).toBe(false);
  });

  it('server-memory: entities written through one tool are found by another', async () => {
    await tool('memory__create_entities').execute(
      { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] },
      ctx,
    );
    const found = (await tool('memory__search_nodes').execute({ query: 'Ada' }, ctx)) as {
      entities: { name: string }[];
    };
    expect(found.entities.map((e) => e.name)).toEqual(['Ada']);
    expect(readFileSync(memoryFile, 'utf8')).toContain('wrote the first program');
  });

  it('the tool index finds the right tools across servers and built-ins', async () => {
    const top = async (need: string) => (await toolbox.search(need, 3)).map((m) => m.name);
    expect(await top('add two numbers together')).toContain('everything__get-sum');
    expect(await top('list the files and directories in a folder')).toContain('fs__list_directory');
    expect(await top('create entities in the knowledge graph')).toContain('memory__create_entities');
    expect(await top('search text in workspace files with a regular expression')).toContain('search_text');
    expect(await toolbox.search('', 3)).toEqual([]);
  });
});
