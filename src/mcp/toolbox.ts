import { resolve } from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import type { Tool } from '../tools/tool.js';
import { type DiscoveredServers, discoverServers } from './discovery.js';
import { McpPool, type ServerStatus } from './pool.js';
import type { McpTool } from './tool-adapter.js';
import { type IndexedTool, ToolIndex, type ToolMatch } from './tool-index.js';

export interface ToolboxOptions {
  /** The `mcp:` config section as written. */
  section?: unknown;
  configFile?: string;
  /** Where relative paths (indexDir, server cwd) resolve, and where mcp.json files are looked for. */
  root: string;
  workspace?: string;
  /** Tools that are not from MCP (the built-ins) to index beside the MCP tools. */
  localTools?: readonly Tool[];
  /** No index: for `swarm mcp list` and `call`, which do not search. */
  index?: boolean;
  onWarning?: (message: string) => void;
}

/**
 * The discovered servers, their connected pool, and the tool index kept in
 * step with the pool: one object a command or a runtime opens and closes.
 */
export class McpToolbox {
  private pendingUpdate: Promise<void> = Promise.resolve();

  private constructor(
    readonly discovered: DiscoveredServers,
    readonly pool: McpPool,
    private readonly index: ToolIndex | undefined,
    private readonly localTools: readonly Tool[],
  ) {}

  static async open(options: ToolboxOptions): Promise<McpToolbox> {
    const discovered = discoverServers({
      section: options.section,
      workspace: resolve(options.root, options.workspace ?? '.'),
      ...(options.configFile ? { configFile: options.configFile } : {}),
    });
    for (const s of discovered.skipped)
      options.onWarning?.(`MCP server "${s.name}" (${s.source}) not used: ${s.reason}`);
    const pool = await McpPool.start({
      section: discovered.section,
      servers: discovered.servers,
      root: options.root,
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
    let index: ToolIndex | undefined;
    try {
      if (options.index !== false)
        index = await ToolIndex.open(resolve(options.root, discovered.section.indexDir));
    } catch (error) {
      await pool.close();
      throw error;
    }
    const toolbox = new McpToolbox(discovered, pool, index, options.localTools ?? []);
    if (index) {
      await toolbox.reindex();
      pool.onToolsChanged(() => {
        toolbox.pendingUpdate = toolbox.pendingUpdate
          .then(() => toolbox.reindex())
          .catch((error) =>
            options.onWarning?.(
              `the tool index kept its previous tools: re-indexing failed: ${errorMessage(error)}`,
            ),
          );
      });
    }
    return toolbox;
  }

  tools(): McpTool[] {
    return this.pool.tools();
  }

  servers(): ServerStatus[] {
    return this.pool.servers();
  }

  /** The `k` tools (MCP and local) that best fit a need. */
  async search(need: string, k = 5): Promise<ToolMatch[]> {
    if (!this.index) throw new Error('internal: this toolbox was opened without an index');
    await this.pendingUpdate;
    return this.index.search(need, k);
  }

  async close(): Promise<void> {
    await this.pendingUpdate;
    await this.index?.close();
    await this.pool.close();
  }

  private async reindex(): Promise<void> {
    const tools: IndexedTool[] = [
      ...this.localTools.map((t) => ({
        name: t.name,
        server: 'builtin',
        description: t.description,
        inputSchema: jsonSchemaOf(t),
      })),
      ...this.pool.tools().map(indexEntry),
    ];
    await this.index?.update(tools);
  }
}

/** What the index keeps of an MCP tool: the schema as the server listed it. */
export function indexEntry(tool: McpTool): IndexedTool {
  return {
    name: tool.name,
    server: tool.server,
    description: tool.description,
    inputSchema: tool.inputJsonSchema,
  };
}

function jsonSchemaOf(tool: Tool): Record<string, unknown> {
  try {
    return z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
  } catch {
    return {};
  }
}
