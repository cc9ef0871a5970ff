import pc from 'picocolors';
import { loadConfig, type SwarmConfig } from '../../core/config.js';
import { McpToolbox, type ServerStatus, toolValue } from '../../mcp/index.js';
import { builtinTools } from '../../tools/builtins.js';
import { InvalidInputError } from '../errors.js';
import { oneLine, printJson } from '../format.js';

export interface McpCommandOptions {
  config?: string;
  json?: boolean;
}

const warn = (message: string) => process.stderr.write(`${pc.yellow('warning:')} ${message}\n`);

async function openToolbox(config: SwarmConfig, index: boolean, quiet = false): Promise<McpToolbox> {
  return McpToolbox.open({
    section: config.mcp,
    ...(config.file ? { configFile: config.file } : {}),
    root: config.root,
    workspace: config.workspace,
    index,
    localTools: builtinTools(),
    ...(quiet ? {} : { onWarning: warn }),
  });
}

const loadCwdConfig = (opts: McpCommandOptions) => loadConfig({ cwd: process.cwd(), file: opts.config });

/** `swarm mcp list`: each server, its state and its tools. */
export async function mcpList(opts: McpCommandOptions): Promise<number> {
  const toolbox = await openToolbox(loadCwdConfig(opts), false, opts.json);
  try {
    const servers = toolbox.servers();
    const tools = toolbox.tools();
    if (opts.json) {
      printJson({
        files: toolbox.discovered.files,
        skippedServers: toolbox.discovered.skipped,
        servers: servers.map((s) => ({
          ...s,
          toolList: tools
            .filter((t) => t.server === s.name)
            .map((t) => ({
              name: t.name,
              mcpName: t.mcpName,
              description: t.description,
              inputSchema: t.inputJsonSchema,
            })),
        })),
      });
      return servers.some((s) => s.state !== 'ready') ? 1 : 0;
    }
    if (servers.length === 0) {
      process.stdout.write(
        'No MCP servers configured. Add them under `mcp.servers` in swarm.config.yaml, or in .mcp.json / .vscode/mcp.json.\n',
      );
      return 0;
    }
    for (const s of servers) {
      process.stdout.write(`${serverLine(s)}\n`);
      for (const t of tools.filter((t) => t.server === s.name))
        process.stdout.write(`  ${t.name.padEnd(40)} ${pc.dim(oneLine(t.description, 80))}\n`);
      for (const skipped of s.skippedTools)
        process.stdout.write(`  ${pc.yellow(`skipped ${skipped.name}`)}: ${skipped.reason}\n`);
    }
    return servers.some((s) => s.state !== 'ready') ? 1 : 0;
  } finally {
    await toolbox.close();
  }
}

function serverLine(s: ServerStatus): string {
  const state = s.state === 'ready' ? pc.green(s.state) : pc.red(s.state);
  const info = s.server ? ` ${pc.dim(`${s.server.name} ${s.server.version}`)}` : '';
  const error = s.error ? `\n  ${pc.red(oneLine(s.error, 200))}` : '';
  return `${pc.bold(s.name)} ${state}${info} · ${s.tools} tools · ${pc.dim(s.display)}${error}`;
}

/** `swarm mcp call <server> <tool> <json>`: one call, arguments validated first. */
export async function mcpCall(
  server: string,
  tool: string,
  json: string | undefined,
  opts: McpCommandOptions & { timeout?: number },
): Promise<number> {
  let args: unknown = {};
  if (json !== undefined) {
    try {
      args = JSON.parse(json);
    } catch (error) {
      throw new InvalidInputError(
        `the arguments are not valid JSON (${(error as Error).message}); pass a JSON object such as '{"path": "README.md"}'`,
      );
    }
    if (!args || typeof args !== 'object' || Array.isArray(args))
      throw new InvalidInputError('the arguments must be a JSON object');
  }
  const toolbox = await openToolbox(loadCwdConfig(opts), false, opts.json);
  try {
    const result = await toolbox.pool.call(
      server,
      tool,
      args,
      opts.timeout ? { timeoutMs: opts.timeout } : {},
    );
    if (opts.json) {
      printJson(result);
      return result.isError ? 1 : 0;
    }
    const value = toolValue(server, tool, result);
    process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
    return 0;
  } finally {
    await toolbox.close();
  }
}

/** `swarm mcp search "<need>"`: the tools (MCP and built-in) that best fit a need. */
export async function mcpSearch(need: string, opts: McpCommandOptions & { k?: number }): Promise<number> {
  if (!need.trim())
    throw new InvalidInputError('say what the tool should do, e.g. swarm mcp search "read a file"');
  const toolbox = await openToolbox(loadCwdConfig(opts), true, opts.json);
  try {
    const matches = await toolbox.search(need, opts.k ?? 5);
    if (opts.json) {
      printJson({ need, matches });
      return 0;
    }
    if (matches.length === 0) process.stdout.write('No tools found.\n');
    for (const m of matches)
      process.stdout.write(
        `${String(m.rank).padStart(2)}. ${pc.bold(m.name)} ${pc.dim(`(${m.server})`)}\n    ${oneLine(m.description, 100)}\n`,
      );
    return 0;
  } finally {
    await toolbox.close();
  }
}

export interface ServeOptions extends McpCommandOptions {
  http?: boolean;
  port?: number;
  host?: string;
  allowRemote?: boolean;
  engine?: string;
  store?: string;
  agents?: string;
  workers?: number;
}

/** `swarm mcp serve`: Swarm itself as an MCP server, on stdio or Streamable HTTP (loopback). */
export async function mcpServe(opts: ServeOptions): Promise<number> {
  const { startSwarmService } = await import('./mcp-serve.js');
  const service = await startSwarmService(opts);
  const { createSwarmMcpServer, serveMcpHttp } = await import('../../mcp/index.js');
  const newServer = () => createSwarmMcpServer(service.services, '0.1.0');
  const stopped = new Promise<void>((resolvePromise) => {
    process.once('SIGINT', () => resolvePromise());
    process.once('SIGTERM', () => resolvePromise());
  });
  try {
    if (opts.http) {
      const http = await serveMcpHttp(newServer, {
        ...(opts.host ? { host: opts.host } : {}),
        port: opts.port ?? 8788,
        ...(opts.allowRemote ? { allowRemote: true } : {}),
      });
      process.stderr.write(`swarm MCP server on ${http.url} (Streamable HTTP). Press Ctrl-C to stop.\n`);
      await stopped;
      await http.close();
    } else {
      const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolvePromise) => {
        transport.onclose = () => resolvePromise();
        process.stdin.once('end', () => resolvePromise());
      });
      await newServer().connect(transport);
      await Promise.race([closed, stopped]);
      await transport.close();
    }
    return 0;
  } finally {
    await service.close();
  }
}
