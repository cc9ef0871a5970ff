import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ManifestError } from '../../src/agents/errors.js';
import { AgentRegistry } from '../../src/agents/registry.js';
import { createRuntime, openRuntime } from '../../src/agents/runtime.js';
import { configSchema, type SwarmConfig } from '../../src/core/config.js';
import { ToolSearchUnavailableError } from '../../src/mcp/errors.js';
import { referenceServer } from '../support/mcp-servers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-tool-search-'));
  mkdirSync(join(dir, 'agents'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function manifest(name: string, extra: Record<string, unknown>) {
  writeFileSync(
    join(dir, 'agents', `${name}.yaml`),
    stringify({ name, description: `${name} agent`, instructions: `You are ${name}.`, ...extra }),
  );
}

function config(extra: Record<string, unknown> = {}): SwarmConfig {
  return {
    ...configSchema.parse({
      store: join(dir, 'swarm.db'),
      agents: join(dir, 'agents'),
      workspace: dir,
      ...extra,
    }),
    file: undefined,
    root: dir,
  };
}

describe('toolSearch in manifests', () => {
  it('accepts needs as text or { matching, k } and refuses a bad k with the line', () => {
    manifest('a', {
      toolSearch: ['read files', { matching: 'query a database', k: 2 }],
      tools: ['list_files'],
    });
    const registry = AgentRegistry.fromDirectory(
      join(dir, 'agents'),
      new Set(['list_files', 'read_file', 'db__query']),
    );
    expect(registry.toolSearches()).toEqual([
      { agent: 'a', matching: 'read files', k: 3 },
      { agent: 'a', matching: 'query a database', k: 2 },
    ]);
    const resolved = registry.withToolSearchResults((matching) =>
      matching === 'read files' ? ['read_file', 'list_files'] : ['db__query'],
    );
    expect(resolved.get('a').tools).toEqual(['list_files', 'read_file', 'db__query']);
    expect(registry.get('a').tools).toEqual(['list_files']);

    manifest('b', { toolSearch: [{ matching: 'x', k: 0 }] });
    expect(() => AgentRegistry.fromDirectory(join(dir, 'agents'), new Set(['list_files']))).toThrow(
      ManifestError,
    );
    expect(() => AgentRegistry.fromDirectory(join(dir, 'agents'), new Set(['list_files']))).toThrow(
      /b\.yaml:\d+:\d+ toolSearch\.0\.k/,
    );
  });

  it('createRuntime refuses toolSearch without the index; openRuntime resolves it over MCP and built-in tools', async () => {
    // memory_search is a tool createRuntime adds itself: openRuntime must not refuse a manifest naming it.
    manifest('finder', {
      tools: ['memory_search'],
      toolSearch: [
        { matching: 'remember entities and relations in a knowledge graph', k: 2 },
        'read a text file of the workspace',
      ],
    });
    expect(() => createRuntime({ config: config() })).toThrow(ToolSearchUnavailableError);
    const runtime = await openRuntime({
      config: config({
        mcp: {
          discover: false,
          servers: { kg: referenceServer('server-memory', [], { MEMORY_FILE_PATH: join(dir, 'kg.jsonl') }) },
        },
      }),
    });
    try {
      const tools = runtime.registry.get('finder').tools;
      expect(tools).toContain('read_file');
      expect(tools[0]).toBe('memory_search');
      expect(tools).toContain('kg__create_relations');
      expect(tools.length).toBeLessThanOrEqual(1 + 2 + 3);
      for (const name of tools) expect(runtime.tools.has(name)).toBe(true);
    } finally {
      runtime.close();
      await runtime.mcp?.close();
    }
  });
});
