import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { referenceServer } from '../support/mcp-servers.js';
import { type CliResult, runSwarm } from '../support/swarm-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'swarm-mcp-cli-'));
const sandbox = join(dir, 'sandbox');
const broken = join(dir, 'broken');

const swarm = (args: string[], cwd = dir) => runSwarm(args, { cwd, from: 'source' });

// The commands run at once (each is a process that starts the CLI and a server); the tests read their results.
let results: Record<'list' | 'badArgs' | 'search' | 'broken' | 'validate', CliResult>;

beforeAll(async () => {
  mkdirSync(sandbox);
  writeFileSync(
    join(dir, 'swarm.config.yaml'),
    stringify({
      mcp: { indexDir: join(dir, 'index'), servers: { fs: referenceServer('server-filesystem', [sandbox]) } },
    }),
  );
  mkdirSync(join(dir, 'agents'));
  writeFileSync(
    join(dir, 'agents', 'reader.yaml'),
    stringify({
      name: 'reader',
      description: 'reads',
      instructions: 'Read.',
      tools: ['read_file', 'memory_search', 'fs__read_text_file'],
    }),
  );
  writeFileSync(
    join(dir, 'agents', 'typo.yaml'),
    stringify({ name: 'typo', description: 'd', instructions: 'i', tools: ['fs__no_such_tool'] }),
  );
  mkdirSync(broken);
  writeFileSync(join(broken, '.mcp.json'), '{\n  "mcpServers": {\n    "x": { "command": 42 }\n  }\n}\n');
  const runs = {
    list: swarm(['mcp', 'list', '--json']),
    badArgs: swarm(['mcp', 'call', 'fs', 'read_text_file', '{"pat": 1}']),
    search: swarm(['mcp', 'search', 'list the files in a directory', '--k', '3', '--json']),
    broken: swarm(['mcp', 'list'], broken),
    validate: swarm(['agents', 'validate', '--json']),
  };
  results = Object.fromEntries(
    await Promise.all(Object.entries(runs).map(async ([k, p]) => [k, await p] as const)),
  ) as typeof results;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('swarm mcp (CLI)', () => {
  it('list --json: each server with its state and tools', () => {
    const { code, stdout } = results.list;
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as {
      servers: { name: string; state: string; toolList: { name: string }[] }[];
    };
    expect(listed.servers.map((s) => [s.name, s.state])).toEqual([['fs', 'ready']]);
    expect(listed.servers[0]!.toolList.map((t) => t.name)).toContain('fs__read_text_file');
  });

  it('call: arguments are checked against the schema first, with a clear error and no stack trace', () => {
    const bad = results.badArgs;
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: invalid arguments for fs__read_text_file: path:');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('search --json: the tools that fit a need', () => {
    const { code, stdout } = results.search;
    expect(code).toBe(0);
    const { matches } = JSON.parse(stdout) as { matches: { name: string }[] };
    expect(matches).toHaveLength(3);
    expect(matches.map((m) => m.name)).toContain('fs__list_directory');
  });

  it('a broken mcp.json is reported with its file, line and field', () => {
    const { code, stderr } = results.broken;
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(broken, '.mcp.json')}:3:`);
    expect(stderr).toMatch(/mcpServers\.x\.command: Invalid input: expected string, received number/);
  });

  it("agents validate accepts the MCP servers' tools and memory_search, as a run does, and names a wrong one", () => {
    const { code, stdout } = results.validate;
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      files: { file: string; ok: boolean; problems: { message: string }[] }[];
    };
    const byFile = Object.fromEntries(report.files.map((f) => [f.file.split('/').pop(), f]));
    expect(byFile['reader.yaml']).toMatchObject({ ok: true, problems: [] });
    expect(byFile['typo.yaml']?.ok).toBe(false);
    expect(byFile['typo.yaml']?.problems[0]?.message).toMatch(/unknown tool "fs__no_such_tool"/);
  });
});
