import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseStructured } from '../core/structured-file.js';
import { McpConfigError } from './errors.js';
import { type McpSection, type McpServerSpec, parseMcpSection, parseServerEntries } from './server-spec.js';

/** Files other MCP clients write, in the order they are read; an earlier definition of a name wins. */
export const MCP_JSON_FILES = ['.mcp.json', 'mcp.json', '.vscode/mcp.json'] as const;

const mcpJsonSchema = z
  .looseObject({
    mcpServers: z.record(z.string(), z.unknown()).optional(),
    servers: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((v) => v.mcpServers !== undefined || v.servers !== undefined, {
    message: 'needs a `mcpServers` (Claude, Cursor) or `servers` (VS Code) object',
  });

export interface DiscoveredServers {
  section: McpSection;
  servers: McpServerSpec[];
  /** Servers not used, with why. */
  skipped: { name: string; source: string; reason: string }[];
  /** mcp.json files that were read. */
  files: string[];
}

export interface DiscoverOptions {
  /** The `mcp:` config section as written (unvalidated). */
  section?: unknown;
  /** Where the config came from, for error messages. */
  configFile?: string;
  /** The workspace searched for mcp.json files. */
  workspace: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The servers to connect: those in the config's `mcp.servers`, then those in
 * the workspace's mcp.json files. A name defined twice keeps the config's
 * (or the first file's) definition, and the shadowed one is reported.
 */
export function discoverServers(options: DiscoverOptions): DiscoveredServers {
  const source = options.configFile ?? 'swarm.config.yaml';
  const section = parseMcpSection(options.section, source);
  const env = options.env ?? process.env;
  const fromConfig = parseServerEntries(section.servers, source, ['mcp', 'servers'], { env });
  const servers = [...fromConfig.specs];
  const skipped = [...fromConfig.skipped];
  const files: string[] = [];
  if (section.discover) {
    for (const rel of MCP_JSON_FILES) {
      const file = resolve(options.workspace, rel);
      if (!existsSync(file)) continue;
      files.push(file);
      const found = readMcpJson(file, env);
      skipped.push(...found.skipped);
      for (const spec of found.specs) {
        const earlier = servers.find((s) => s.name === spec.name);
        if (earlier)
          skipped.push({
            name: spec.name,
            source: file,
            reason: `shadowed by the definition in ${earlier.source}`,
          });
        else servers.push(spec);
      }
    }
  }
  return { section, servers, skipped, files };
}

/** Reads one mcp.json-style file; throws McpConfigError naming the file, line and field. */
export function readMcpJson(file: string, env: NodeJS.ProcessEnv = process.env) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new McpConfigError(file, [{ path: '', message: `cannot read: ${(error as Error).message}` }]);
  }
  const parsed = parseStructured(text, mcpJsonSchema);
  if (!parsed.ok) throw new McpConfigError(file, parsed.problems);
  const key = parsed.value.mcpServers ? 'mcpServers' : 'servers';
  const entries = (parsed.value.mcpServers ?? parsed.value.servers) as Record<string, unknown>;
  return parseServerEntries(entries, file, [key], { env, locate: parsed.locate });
}
