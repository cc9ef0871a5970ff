import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive } from '../../src/core/process-alive.js';
import { discoverServers } from '../../src/mcp/discovery.js';
import {
  McpArgumentsError,
  McpCallTimeoutError,
  McpConnectionLostError,
  McpToolError,
} from '../../src/mcp/errors.js';
import { McpPool } from '../../src/mcp/pool.js';
import { referenceServer, supportServer } from '../support/mcp-servers.js';

const dir = mkdtempSync(join(tmpdir(), 'swarm-mcp-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startPool(servers: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const warnings: string[] = [];
  const found = discoverServers({ section: { servers, discover: false, ...extra }, workspace: dir });
  const pool = await McpPool.start({
    section: found.section,
    servers: found.servers,
    root: dir,
    onWarning: (m) => warnings.push(m),
  });
  return { pool, warnings };
}

async function waitFor(check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.concurrent('MCP faults', () => {
  it('a server that exits at start fails with McpStartError and its output; the other servers still serve', async () => {
    const { pool, warnings } = await startPool({
      broken: supportServer('mcp-exits-at-start.mjs'),
      odd: supportServer('mcp-odd-tools-server.ts'),
    });
    try {
      const broken = pool.servers().find((s) => s.name === 'broken')!;
      expect(broken.state).toBe('failed');
      expect(broken.error).toMatch(/did not start: it exited .* before answering initialize/);
      expect(broken.error).toContain('DATABASE_URL is not set');
      expect(warnings.some((w) => w.includes('"broken" did not start'))).toBe(true);
      expect(pool.servers().find((s) => s.name === 'odd')!.state).toBe('ready');
      expect(await pool.call('odd', 'echo', { text: 'still here' })).toMatchObject({
        content: [{ type: 'text', text: 'still here' }],
      });
    } finally {
      await pool.close();
    }
  });

  it('a server that never answers initialize times out with McpInitializeTimeoutError, and its process is ended', async () => {
    const pidFile = join(dir, 'silent.pid');
    const { pool } = await startPool(
      { silent: supportServer('mcp-never-initializes.mjs', [pidFile]) },
      { timeouts: { initializeMs: 3_000 } },
    );
    try {
      const [status] = pool.servers();
      expect(status!.state).toBe('failed');
      expect(status!.error).toMatch(/did not answer initialize within 3000 ms/);
      // Under extreme load the child may be ended before it got to write its pid: then it is gone already.
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8'));
        await waitFor(() => !processAlive(pid));
      }
    } finally {
      await pool.close();
    }
  });

  it('a server without the tools capability is refused with McpCapabilityError', async () => {
    const { pool } = await startPool({ bare: supportServer('mcp-odd-tools-server.ts', ['--no-tools']) });
    try {
      const [status] = pool.servers();
      expect(status!.state).toBe('failed');
      expect(status!.error).toBe('MCP server "bare" offers no tools (its capabilities: logging)');
    } finally {
      await pool.close();
    }
  });

  it('tools whose schema is not valid JSON Schema are skipped with a reason; the rest work, and list_changed refreshes', async () => {
    const { pool, warnings } = await startPool({ odd: supportServer('mcp-odd-tools-server.ts') });
    try {
      const [status] = pool.servers();
      expect(status!.state).toBe('ready');
      const skipped = Object.fromEntries(status!.skippedTools.map((s) => [s.name, s.reason]));
      expect(skipped.banana).toMatch(/not valid JSON Schema: .*banana/);
      expect(skipped.dangling).toMatch(/not valid JSON Schema: .*nope/);
      expect(skipped.not_object).toMatch(/malformed listing entry/);
      expect(warnings.filter((w) => w.includes('tool banana skipped'))).toHaveLength(1);
      expect(
        pool
          .tools()
          .map((t) => t.name)
          .sort(),
      ).toEqual(['odd__add_tool', 'odd__echo', 'odd__fail']);

      const changed = new Promise<void>((resolve) => pool.onToolsChanged(resolve));
      await pool.call('odd', 'add_tool', {});
      await changed;
      expect(pool.tools().map((t) => t.name)).toContain('odd__late');
      expect(await pool.call('odd', 'late', {})).toMatchObject({ content: [{ text: 'late tool works' }] });
    } finally {
      await pool.close();
    }
  });

  it('arguments that fail the schema are refused before the call; isError results become McpToolError', async () => {
    const { pool } = await startPool({ odd: supportServer('mcp-odd-tools-server.ts') });
    try {
      await expect(pool.call('odd', 'echo', { text: 42 })).rejects.toBeInstanceOf(McpArgumentsError);
      await expect(pool.call('odd', 'echo', {})).rejects.toThrow(/text: Invalid input: expected string/);
      const fail = pool.tools().find((t) => t.name === 'odd__fail')!;
      const ctx = { signal: new AbortController().signal } as never;
      await expect(fail.execute({}, ctx)).rejects.toBeInstanceOf(McpToolError);
      await expect(fail.execute({}, ctx)).rejects.toThrow('odd/fail failed: the disk is full');
    } finally {
      await pool.close();
    }
  });

  it('killing a server mid-call fails the call with McpConnectionLostError; the pool reconnects and the next call works', async () => {
    const { pool } = await startPool(
      { everything: referenceServer('server-everything') },
      { reconnect: { baseDelayMs: 100, maxDelayMs: 500 } },
    );
    try {
      const connection = pool.servers()[0]!;
      expect(connection.state).toBe('ready');
      const pid = (pool as unknown as { connections: Map<string, { pid?: number }> }).connections.get(
        'everything',
      )!.pid!;
      expect(processAlive(pid)).toBe(true);
      const slow = pool.call(
        'everything',
        'trigger-long-running-operation',
        { duration: 30, steps: 30 },
        { timeoutMs: 300 },
      );
      await expect(slow).rejects.toBeInstanceOf(McpCallTimeoutError);
      await expect(slow).rejects.toThrow(
        'MCP tool everything/trigger-long-running-operation did not answer within 300 ms',
      );
      const inFlight = pool.call('everything', 'trigger-long-running-operation', { duration: 30, steps: 30 });
      await new Promise((r) => setTimeout(r, 300));
      process.kill(pid, 'SIGKILL');
      await expect(inFlight).rejects.toBeInstanceOf(McpConnectionLostError);
      const after = await pool.call('everything', 'get-sum', { a: 20, b: 22 }, { timeoutMs: 30_000 });
      expect(after.content).toEqual([{ type: 'text', text: 'The sum of 20 and 22 is 42.' }]);
      const status = pool.servers()[0]!;
      expect(status.state).toBe('ready');
      expect(status.reconnects).toBe(1);
      expect(status.tools).toBeGreaterThan(5);
      const newPid = (pool as unknown as { connections: Map<string, { pid?: number }> }).connections.get(
        'everything',
      )!.pid!;
      expect(newPid).not.toBe(pid);
      await pool.close();
      await waitFor(() => !processAlive(newPid));
    } finally {
      await pool.close();
    }
  });
});
