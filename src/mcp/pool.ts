import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../core/errors.js';
import { type CallOptions, type ConnectionState, McpConnection } from './connection.js';
import { McpArgumentsError, UnknownMcpServerError, UnknownMcpToolError } from './errors.js';
import type { McpSection, McpServerSpec } from './server-spec.js';
import { adaptTool, inputValidator, type McpTool } from './tool-adapter.js';

export interface PoolOptions {
  section: McpSection;
  servers: readonly McpServerSpec[];
  /** Directory stdio servers run in unless they set `cwd`. */
  root: string;
  clientVersion?: string;
  /** Told once per tool that cannot be used (and why), and when a server fails to start. */
  onWarning?: (message: string) => void;
}

export interface ServerStatus {
  name: string;
  source: string;
  /** The command or URL, with env and header names only. */
  display: string;
  state: ConnectionState;
  error?: string;
  server?: { name: string; version: string };
  tools: number;
  reconnects: number;
  skippedTools: { name: string; reason: string }[];
}

interface ServerTools {
  tools: Map<string, McpTool>;
  skipped: { name: string; reason: string }[];
}

/**
 * Every configured MCP server, connected in parallel. A server that cannot
 * start is recorded with its error and the others serve; each server's tools
 * are Swarm tools named `<server>__<tool>`, rebuilt when its list changes.
 */
export class McpPool {
  private readonly byServer = new Map<string, ServerTools>();
  private readonly listeners = new Set<() => void>();
  private readonly warned = new Set<string>();
  private readonly onExit = () => {
    // Last resort when the process exits without close(): no child outlives it.
    for (const c of this.connections.values()) if (c.pid) killQuietly(c.pid);
  };

  private constructor(
    private readonly connections: ReadonlyMap<string, McpConnection>,
    private readonly options: PoolOptions,
  ) {
    process.once('exit', this.onExit);
  }

  static async start(options: PoolOptions): Promise<McpPool> {
    const { section } = options;
    const connections = new Map<string, McpConnection>();
    for (const spec of options.servers) {
      connections.set(
        spec.name,
        new McpConnection(spec, {
          root: options.root,
          initializeMs: section.timeouts.initializeMs,
          callMs: section.timeouts.callMs,
          reconnect: section.reconnect,
          clientVersion: options.clientVersion ?? '0.1.0',
        }),
      );
    }
    const pool = new McpPool(connections, options);
    await Promise.all(
      [...connections.values()].map(async (connection) => {
        connection.onToolsChanged(() => pool.rebuild(connection));
        try {
          await connection.start();
        } catch (error) {
          options.onWarning?.(errorMessage(error));
        }
      }),
    );
    return pool;
  }

  servers(): ServerStatus[] {
    return [...this.connections.values()].map((c) => ({
      name: c.spec.name,
      source: c.spec.source,
      display: c.spec.display,
      state: c.state,
      ...(c.lastError && c.state !== 'ready' ? { error: errorMessage(c.lastError) } : {}),
      ...(c.serverInfo ? { server: c.serverInfo } : {}),
      tools: this.byServer.get(c.spec.name)?.tools.size ?? 0,
      reconnects: c.reconnects,
      skippedTools: this.byServer.get(c.spec.name)?.skipped ?? [],
    }));
  }

  /** Every usable tool of every server, as Swarm tools. */
  tools(): McpTool[] {
    return [...this.byServer.values()].flatMap((s) => [...s.tools.values()]);
  }

  /** A server's tool by its MCP name. */
  tool(server: string, name: string): McpTool {
    const tools = this.serverTools(server);
    const tool = [...tools.tools.values()].find((t) => t.mcpName === name);
    if (!tool)
      throw new UnknownMcpToolError(
        server,
        name,
        [...tools.tools.values()].map((t) => t.mcpName),
      );
    return tool;
  }

  /** Validates the arguments with the tool's schema, then calls it; returns the raw MCP result. */
  async call(
    server: string,
    name: string,
    args: unknown,
    options: CallOptions = {},
  ): Promise<CallToolResult> {
    const tool = this.tool(server, name);
    const parsed = tool.input.safeParse(args ?? {});
    if (!parsed.success) {
      throw new McpArgumentsError(
        tool.name,
        parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      );
    }
    return this.connection(server).callTool(name, parsed.data as Record<string, unknown>, options);
  }

  /** Called after any server's tools change. */
  onToolsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.close()));
    process.off('exit', this.onExit);
  }

  private connection(server: string): McpConnection {
    const connection = this.connections.get(server);
    if (!connection) throw new UnknownMcpServerError(server, [...this.connections.keys()]);
    return connection;
  }

  private serverTools(server: string): ServerTools {
    this.connection(server);
    return this.byServer.get(server) ?? { tools: new Map(), skipped: [] };
  }

  private rebuild(connection: McpConnection): void {
    const server = connection.spec.name;
    const entry: ServerTools = { tools: new Map(), skipped: [] };
    const skip = (name: string, reason: string) => {
      entry.skipped.push({ name, reason });
      const key = `${server}/${name}/${reason}`;
      if (!this.warned.has(key)) {
        this.warned.add(key);
        this.options.onWarning?.(`MCP server "${server}": tool ${name} skipped: ${reason}`);
      }
    };
    for (const bad of connection.listing.malformed)
      skip(bad.name ?? `#${bad.index}`, `malformed listing entry (${bad.reason})`);
    const call = (s: string, t: string, args: Record<string, unknown>, options: CallOptions) =>
      this.connection(s).callTool(t, args, options);
    for (const info of connection.listing.tools) {
      const validator = inputValidator(info.inputSchema);
      if (!validator.ok) {
        skip(info.name, validator.reason);
        continue;
      }
      const tool = adaptTool(server, info, validator.input, call);
      if (entry.tools.has(tool.name)) skip(info.name, `listed twice`);
      else entry.tools.set(tool.name, tool);
    }
    this.byServer.set(server, entry);
    for (const listener of this.listeners) listener();
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
