import { type FileProblem, InvalidFileError, SwarmError } from '../core/errors.js';

/** An MCP server list (the `mcp:` config section or an mcp.json file) that cannot be used. */
export class McpConfigError extends InvalidFileError {
  constructor(file: string, problems: readonly FileProblem[]) {
    super(
      'mcp_config',
      file,
      problems,
      'Fix the fields listed above. A stdio server needs `command` (and optional `args`, `env`); an HTTP server needs `url` (and optional `headers`).',
    );
  }
}

/** The server process exited (or the connection closed) before the initialize handshake finished. */
export class McpStartError extends SwarmError {
  readonly server: string;

  constructor(server: string, detail: string, output?: string) {
    super(
      'mcp_start',
      `MCP server "${server}" did not start: ${detail}${output ? `\n  its last output:\n    ${output.trim().split('\n').join('\n    ')}` : ''}`,
      {
        hint: 'Run the server command by hand to see why it fails (missing package, bad arguments, a required environment variable).',
      },
    );
    this.server = server;
  }
}

/** The server did not answer `initialize` within the configured time. */
export class McpInitializeTimeoutError extends SwarmError {
  readonly server: string;

  constructor(server: string, timeoutMs: number) {
    super(
      'mcp_initialize_timeout',
      `MCP server "${server}" did not answer initialize within ${timeoutMs} ms`,
      {
        hint: 'Check that the command starts an MCP server speaking JSON-RPC on stdio (or that the URL is an MCP endpoint); raise mcp.timeouts.initializeMs if it is just slow to start.',
      },
    );
    this.server = server;
  }
}

/** The server answered initialize but does not offer tools. */
export class McpCapabilityError extends SwarmError {
  readonly server: string;

  constructor(server: string, capabilities: string[]) {
    super(
      'mcp_capability',
      `MCP server "${server}" offers no tools (its capabilities: ${capabilities.join(', ') || 'none'})`,
      {
        hint: 'Swarm uses MCP servers for their tools; remove this server from the list or use one that has tools.',
      },
    );
    this.server = server;
  }
}

/** The connection to a server was lost while a call was in flight; the pool reconnects on its own. */
export class McpConnectionLostError extends SwarmError {
  readonly server: string;

  constructor(server: string, tool: string, detail: string) {
    super('mcp_connection_lost', `MCP server "${server}" went away during a call to ${tool}: ${detail}`, {
      hint: 'The pool reconnects with back-off; call the tool again. If it keeps dying, look at the server itself.',
    });
    this.server = server;
  }
}

/** The server is down and could not be reached again within the call's time. */
export class McpUnavailableError extends SwarmError {
  readonly server: string;

  constructor(server: string, detail: string) {
    super('mcp_unavailable', `MCP server "${server}" is not available: ${detail}`, {
      hint: '`swarm mcp list` shows each server state and its last error.',
    });
    this.server = server;
  }
}

export class McpCallTimeoutError extends SwarmError {
  readonly server: string;
  readonly tool: string;

  constructor(server: string, tool: string, timeoutMs: number) {
    super('mcp_call_timeout', `MCP tool ${server}/${tool} did not answer within ${timeoutMs} ms`, {
      hint: 'Raise mcp.timeouts.callMs (or the server’s own `timeoutMs`) if the tool is legitimately slow.',
    });
    this.server = server;
    this.tool = tool;
  }
}

/** The tool ran and reported failure (`isError: true`); the message is the tool's own text. */
export class McpToolError extends SwarmError {
  readonly server: string;
  readonly tool: string;

  constructor(server: string, tool: string, text: string) {
    super('mcp_tool_error', `${server}/${tool} failed: ${text}`);
    this.server = server;
    this.tool = tool;
  }
}

/** The server answered with a JSON-RPC error (unknown tool, invalid params, internal error). */
export class McpProtocolError extends SwarmError {
  readonly server: string;
  readonly rpcCode: number;

  constructor(server: string, rpcCode: number, message: string) {
    super(
      'mcp_protocol',
      `MCP server "${server}" refused the request: ${message} (JSON-RPC code ${rpcCode})`,
    );
    this.server = server;
    this.rpcCode = rpcCode;
  }
}

/** Arguments given to `swarm mcp call` (or a direct pool call) that the tool's schema rejects. */
export class McpArgumentsError extends SwarmError {
  constructor(tool: string, problems: string) {
    super('mcp_arguments', `invalid arguments for ${tool}: ${problems}`, {
      hint: '`swarm mcp list --json` shows each tool input schema.',
    });
  }
}

export class UnknownMcpServerError extends SwarmError {
  constructor(server: string, known: string[]) {
    super(
      'mcp_unknown_server',
      `no MCP server named "${server}" (configured: ${known.join(', ') || 'none'})`,
      {
        hint: 'Add it under `mcp.servers` in swarm.config.yaml or to .mcp.json; `swarm mcp list` shows what was found.',
      },
    );
  }
}

export class UnknownMcpToolError extends SwarmError {
  constructor(server: string, tool: string, known: string[]) {
    super(
      'mcp_unknown_tool',
      `MCP server "${server}" has no usable tool "${tool}" (tools: ${known.join(', ') || 'none'})`,
      {
        hint: '`swarm mcp list` shows every tool, and why a tool was skipped.',
      },
    );
  }
}

/** Nothing listens beyond loopback unless the user asked for it. */
export class McpRemoteHostError extends SwarmError {
  constructor(host: string) {
    super('mcp_remote_host', `refusing to serve MCP on ${host}: only loopback is allowed by default`, {
      hint: 'Use 127.0.0.1 (the default), or pass --allow-remote if other machines really must reach it.',
    });
  }
}

/** A manifest asks for tools by need, but the runtime was built without the tool index. */
export class ToolSearchUnavailableError extends SwarmError {
  constructor(agents: string[]) {
    super(
      'tool_search_unavailable',
      `agents ${agents.join(', ')} use toolSearch, which needs the tool index`,
      {
        hint: 'Start the runtime with openRuntime (it connects the MCP servers and indexes every tool), or list the tools by name under `tools`.',
      },
    );
  }
}
