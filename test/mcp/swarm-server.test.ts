import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type SwarmService, startSwarmService } from '../../src/cli/commands/mcp-serve.js';
import { discoverServers } from '../../src/mcp/discovery.js';
import { McpConnectionLostError, McpRemoteHostError } from '../../src/mcp/errors.js';
import { McpPool } from '../../src/mcp/pool.js';
import { type McpHttpServer, serveMcpHttp } from '../../src/mcp/serve-http.js';
import { createSwarmMcpServer, SWARM_MCP_TOOLS } from '../../src/mcp/swarm-server.js';
import { MemoryStore } from '../../src/memory/index.js';
import { type SimServer, startSim } from '../../src/sim/index.js';
import { REPO_ROOT, referenceServer, TSX_IMPORT } from '../support/mcp-servers.js';

const dir = mkdtempSync(join(tmpdir(), 'swarm-mcp-serve-'));
const configFile = join(dir, 'swarm.config.yaml');
let sim: SimServer;
let service: SwarmService;
let http: McpHttpServer;
let client: Client;

async function call(name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
const textOf = (result: CallToolResult) =>
  result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

beforeAll(async () => {
  sim = await startSim({
    scenario: {
      rules: [
        { match: { lastToolResult: 'sum of' }, reply: { content: 'adder says: {{lastToolResult}}' } },
        {
          match: { hasTool: 'everything__get-sum' },
          reply: { toolCalls: [{ name: 'everything__get-sum', arguments: { a: 2, b: 3 } }] },
        },
      ],
    },
  });
  mkdirSync(join(dir, 'agents'));
  mkdirSync(join(dir, 'workflows'));
  writeFileSync(
    configFile,
    stringify({
      providers: { sim: { type: 'openai-compatible', baseURL: sim.baseURL } },
      retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 100 },
      store: join(dir, 'swarm.db'),
      engine: `sqlite:${join(dir, 'engine.db')}`,
      memory: { dir: join(dir, 'memory'), responseCache: false },
      mcp: { discover: false, servers: { everything: referenceServer('server-everything') } },
    }),
  );
  // The agent names no tool: it gets get-sum because its toolSearch need finds it in the index.
  writeFileSync(
    join(dir, 'agents', 'adder.yaml'),
    stringify({
      name: 'adder',
      description: 'Adds numbers with a tool',
      instructions: 'You are adder.',
      model: 'sim:sim-model',
      toolSearch: [{ matching: 'add two numbers and return their sum', k: 2 }],
    }),
  );
  writeFileSync(
    join(dir, 'workflows', 'add.yaml'),
    stringify({ name: 'add', steps: [{ id: 'sum', agent: 'adder', task: 'add 2 and 3' }] }),
  );
  const memory = await MemoryStore.open({ dir: join(dir, 'memory'), background: false });
  await memory.ingestDocuments([
    {
      path: 'docs/leases.md',
      text: '# Leases\nA worker heartbeats its lease every third of the lease time.',
    },
  ]);
  await memory.close();

  service = await startSwarmService({ config: configFile, cwd: dir });
  http = await serveMcpHttp(() => createSwarmMcpServer(service.services, '0.1.0'), { port: 0 });
  client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
}, 60_000);

afterAll(async () => {
  await client?.close();
  await http?.close();
  await service?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('swarm mcp serve over Streamable HTTP, with the official SDK client', () => {
  it('lists the Swarm tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...SWARM_MCP_TOOLS].sort());
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(http.sessions()).toBe(1);
    expect(textOf(await call('list_agents'))).toContain('"adder"');
  });

  it('runs an agent (through the simulator) that uses an MCP tool found by toolSearch, then reads its status', async () => {
    const result = await call('run_agent', { agent: 'adder', task: 'add 2 and 3' });
    expect(result.isError).toBeFalsy();
    const run = result.structuredContent as { runId: string; outcome: string; output: string };
    expect(run.outcome).toBe('succeeded');
    expect(run.output).toBe('adder says: The sum of 2 and 3 is 5.');
    const status = (await call('run_status', { runId: run.runId })).structuredContent as {
      status: string;
      agents: { agent: string }[];
    };
    expect(status.status).toBe('succeeded');
    expect(status.agents.map((a) => a.agent)).toEqual(['adder']);
  });

  it('starts a workflow and reports it until it has succeeded', async () => {
    const started = (await call('start_workflow', { file: 'workflows/add.yaml' })).structuredContent as {
      runId: string;
    };
    expect(started.runId).toMatch(/^run_/);
    let status: { status?: string; steps?: Record<string, { status: string; output?: unknown }> } = {};
    const deadline = Date.now() + 30_000;
    while (status.status !== 'succeeded' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await call('run_status', { runId: started.runId })).structuredContent as typeof status;
      expect(status.status).not.toBe('failed');
    }
    expect(status.status).toBe('succeeded');
    expect(status.steps?.sum?.output).toBe('adder says: The sum of 2 and 3 is 5.');
  });

  it('searches memory', async () => {
    const result = await call('search_memory', { query: 'how often does a worker heartbeat its lease' });
    expect(textOf(result)).toContain('third of the lease time');
  });

  it('bad requests come back as tool errors the client can read', async () => {
    const unknown = await call('run_agent', { agent: 'nobody', task: 'x' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/nobody/);
    const outside = await call('start_workflow', { file: '../elsewhere.yaml' });
    expect(outside.isError).toBe(true);
    expect(textOf(outside)).toMatch(/outside the project/);
    const invalid = await call('run_agent', { agent: 'adder' });
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toMatch(/task/);
    const missing = await call('run_status', { runId: 'run_doesnotexist' });
    expect(missing.isError).toBe(true);
  });

  it('refuses a foreign Host header (DNS rebinding) and non-loopback binding by default', async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    // node:http, because fetch will not send a Host header other than the URL's.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(http.url, {
        method: 'POST',
        headers: {
          host: 'evil.example',
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(403);
    await expect(
      serveMcpHttp(() => createSwarmMcpServer(service.services, '0'), { host: '0.0.0.0' }),
    ).rejects.toBeInstanceOf(McpRemoteHostError);
  });
});

describe('the pool as a Streamable HTTP client (against Swarm’s own server)', () => {
  it('lists and calls tools, and reconnects (a new session) after the server restarts', async () => {
    const own = await serveMcpHttp(() => createSwarmMcpServer(service.services, '0.1.0'), { port: 0 });
    const port = Number(new URL(own.url).port);
    const found = discoverServers({
      workspace: dir,
      env: { SWARM_TEST_TOKEN: 'token-123456' },
      section: {
        discover: false,
        reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
        servers: { swarm: { url: own.url, headers: { Authorization: 'Bearer ${env:SWARM_TEST_TOKEN}' } } },
      },
    });
    expect(found.servers[0]!.display).toBe(`${own.url} (headers: Authorization)`);
    const pool = await McpPool.start({ section: found.section, servers: found.servers, root: dir });
    let restarted: McpHttpServer | undefined;
    try {
      expect(
        pool
          .tools()
          .map((t) => t.name)
          .sort(),
      ).toEqual(SWARM_MCP_TOOLS.map((t) => `swarm__${t}`).sort());
      const agents = await pool.call('swarm', 'list_agents', {});
      expect(agents.structuredContent).toEqual({
        agents: [{ name: 'adder', description: 'Adds numbers with a tool' }],
      });
      await own.close();
      await expect(pool.call('swarm', 'list_agents', {})).rejects.toBeInstanceOf(McpConnectionLostError);
      restarted = await serveMcpHttp(() => createSwarmMcpServer(service.services, '0.1.0'), { port });
      const again = await pool.call('swarm', 'list_agents', {}, { timeoutMs: 20_000 });
      expect(again.isError).toBeFalsy();
      expect(pool.servers()[0]!.reconnects).toBe(1);
    } finally {
      await pool.close();
      await restarted?.close();
      await own.close();
    }
  });
});

describe('swarm mcp serve over stdio (the CLI)', () => {
  it('answers an MCP client that launches it', async () => {
    const stdio = new Client({ name: 'ide', version: '1.0.0' });
    await stdio.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [
          '--import',
          TSX_IMPORT,
          join(REPO_ROOT, 'src/cli/main.ts'),
          '--config',
          configFile,
          'mcp',
          'serve',
        ],
        cwd: dir,
        stderr: 'pipe',
      }),
    );
    try {
      const agents = (await stdio.callTool({ name: 'list_agents', arguments: {} })) as CallToolResult;
      expect(agents.structuredContent).toEqual({
        agents: [{ name: 'adder', description: 'Adds numbers with a tool' }],
      });
    } finally {
      await stdio.close();
    }
  }, 60_000);
});
