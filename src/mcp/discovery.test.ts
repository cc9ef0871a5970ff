import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverServers, readMcpJson } from './discovery.js';
import { McpConfigError } from './errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-mcp-discovery-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (path: string, value: unknown) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
};

describe('discoverServers', () => {
  it('reads the config section, then .mcp.json, mcp.json and .vscode/mcp.json; the first definition of a name wins', () => {
    write('.mcp.json', {
      mcpServers: { fs: { command: 'npx', args: ['server-filesystem', '.'] }, shared: { command: 'a' } },
    });
    write('.vscode/mcp.json', {
      servers: { remote: { type: 'http', url: 'http://127.0.0.1:9/mcp' }, shared: { command: 'b' } },
    });
    const found = discoverServers({
      workspace: dir,
      section: { servers: { shared: { command: 'from-config' } } },
    });
    expect(found.servers.map((s) => [s.name, s.transport.kind])).toEqual([
      ['shared', 'stdio'],
      ['fs', 'stdio'],
      ['remote', 'http'],
    ]);
    expect(found.servers[0]!.transport).toMatchObject({ command: 'from-config' });
    expect(found.skipped.filter((s) => s.name === 'shared').map((s) => s.reason)).toEqual([
      'shadowed by the definition in swarm.config.yaml',
      'shadowed by the definition in swarm.config.yaml',
    ]);
    expect(found.files).toHaveLength(2);
    expect(found.section.timeouts).toEqual({ initializeMs: 15_000, callMs: 60_000 });
  });

  it('resolves ${env:NAME} in env, args and headers, and shows only their names', () => {
    write('.mcp.json', {
      mcpServers: {
        gh: { url: 'https://mcp.example/v1', headers: { Authorization: 'Bearer ${env:GH_TOKEN}' } },
        db: { command: 'db-mcp', args: ['--dsn', '${DB_DSN}'], env: { PASSWORD: '${env:DB_PASS}' } },
      },
    });
    const env = { GH_TOKEN: 'ghp_secret123', DB_DSN: 'postgres://db', DB_PASS: 'hunter22' };
    const found = discoverServers({ workspace: dir, env });
    const [gh, db] = found.servers;
    expect(gh!.transport).toEqual({
      kind: 'http',
      url: 'https://mcp.example/v1',
      headers: { Authorization: 'Bearer ghp_secret123' },
    });
    expect(db!.transport).toMatchObject({ args: ['--dsn', 'postgres://db'], env: { PASSWORD: 'hunter22' } });
    for (const spec of found.servers) {
      expect(spec.display).not.toMatch(/ghp_secret123|hunter22/);
    }
    expect(gh!.display).toContain('headers: Authorization');
    expect(db!.display).toContain('env: PASSWORD');
  });

  it('an unset variable is an error naming the file, the field and the variable', () => {
    write('.mcp.json', { mcpServers: { db: { command: 'db-mcp', env: { PASSWORD: '${env:NOPE_UNSET}' } } } });
    expect(() => discoverServers({ workspace: dir, env: {} })).toThrow(
      /\.mcp\.json:\d+:\d+ mcpServers\.db: mcpServers\.db\.env\.PASSWORD needs the environment variable NOPE_UNSET/,
    );
  });

  it('names the file, line and field of a bad entry, and collects every problem', () => {
    write(
      'mcp.json',
      '{\n  "mcpServers": {\n    "a": { "command": "" },\n    "b": { "url": "not a url" },\n    "c": { "args": ["x"] },\n    "bad name!": { "command": "x" }\n  }\n}\n',
    );
    let error: McpConfigError | undefined;
    try {
      readMcpJson(join(dir, 'mcp.json'));
    } catch (e) {
      error = e as McpConfigError;
    }
    expect(error).toBeInstanceOf(McpConfigError);
    const problems = error!.problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
    expect(problems).toEqual([
      '3 mcpServers.a.command: must name the program to run',
      expect.stringMatching(/^4 mcpServers\.b\.url: must be an http\(s\) URL/),
      '5 mcpServers.c: needs `command` (a stdio server) or `url` (a Streamable HTTP server)',
      expect.stringMatching(/^6 mcpServers\.bad name!: server names must be/),
    ]);
  });

  it('refuses a file with neither mcpServers nor servers, and JSON syntax errors, with the line', () => {
    write('.mcp.json', { tools: {} });
    expect(() => discoverServers({ workspace: dir })).toThrow(
      /needs a `mcpServers` \(Claude, Cursor\) or `servers` \(VS Code\) object/,
    );
    write('.mcp.json', '{ "mcpServers": { "a": { "command": "x", } \n');
    expect(() => discoverServers({ workspace: dir })).toThrow(McpConfigError);
  });

  it('skips disabled servers, SSE servers and editor-only ${input:...} references, saying why', () => {
    write('.vscode/mcp.json', {
      servers: {
        off: { command: 'x', disabled: true },
        old: { type: 'sse', url: 'http://127.0.0.1:1/sse' },
        prompt: { command: 'x', env: { KEY: '${input:api-key}' } },
      },
    });
    const found = discoverServers({ workspace: dir });
    expect(found.servers).toEqual([]);
    expect(Object.fromEntries(found.skipped.map((s) => [s.name, s.reason]))).toEqual({
      off: 'disabled',
      old: expect.stringMatching(/SSE transport is deprecated/),
      prompt: expect.stringMatching(/uses \$\{input:…\}: only \$\{env:NAME\} references can be resolved/),
    });
  });

  it('validates the mcp section itself and can turn discovery off', () => {
    write('.mcp.json', { mcpServers: { fs: { command: 'x' } } });
    expect(discoverServers({ workspace: dir, section: { discover: false } }).servers).toEqual([]);
    expect(() =>
      discoverServers({
        workspace: dir,
        section: { timeouts: { callMs: -1 } },
        configFile: 'swarm.config.yaml',
      }),
    ).toThrow(/swarm\.config\.yaml mcp\.timeouts\.callMs: Too small/);
    expect(() => discoverServers({ workspace: dir, section: { servers: { x: 'npx thing' } } })).toThrow(
      /mcp\.servers\.x: must be an object with `command` \(stdio\) or `url` \(HTTP\)/,
    );
  });
});
