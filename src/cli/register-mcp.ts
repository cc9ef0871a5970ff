import type { Command } from 'commander';
import { runAction } from './action.js';
import { nonNegativeNumber, positiveNumber } from './option-parsers.js';

/** `swarm mcp …`: the MCP client pool, the tool index, and Swarm as an MCP server. */
export function registerMcp(program: Command, globals: () => { config?: string }): void {
  const mcp = program
    .command('mcp')
    .description(
      'MCP: list and call the tools of configured MCP servers, search them by need, serve Swarm over MCP',
    );
  const load = () => import('./commands/mcp.js');
  mcp
    .command('list')
    .description('connect to every configured and discovered MCP server and list its state and tools')
    .option('--json', 'machine-readable output, with each tool input schema')
    .addHelpText('after', '\nExample:\n  $ swarm mcp list --json')
    .action((opts) => runAction(async () => (await load()).mcpList({ ...globals(), ...opts })));
  mcp
    .command('call')
    .description("call one tool of an MCP server (arguments are checked against the tool's schema first)")
    .argument('<server>', 'server name (see `swarm mcp list`)')
    .argument('<tool>', 'the tool name as the server lists it')
    .argument('[json]', 'arguments as a JSON object (default {})')
    .option('--timeout <ms>', 'fail the call after this many milliseconds', positiveNumber)
    .option('--json', 'print the raw MCP result')
    .addHelpText('after', `\nExample:\n  $ swarm mcp call fs read_text_file '{"path": "README.md"}'`)
    .action((server: string, tool: string, json: string | undefined, opts) =>
      runAction(async () => (await load()).mcpCall(server, tool, json, { ...globals(), ...opts })),
    );
  mcp
    .command('search')
    .description('the few tools (from MCP servers and the built-ins) that best fit a need')
    .argument('<need>', 'what the tool should do, in words')
    .option('-k, --k <n>', 'how many tools (default 5)', positiveNumber)
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExample:\n  $ swarm mcp search "list the files in a directory" --k 3')
    .action((need: string, opts) =>
      runAction(async () => (await load()).mcpSearch(need, { ...globals(), ...opts })),
    );
  mcp
    .command('serve')
    .description(
      'serve Swarm as an MCP server (tools: list_agents, run_agent, start_workflow, search_memory, run_status)',
    )
    .option('--http', 'serve Streamable HTTP instead of stdio')
    .option('-p, --port <n>', 'HTTP port (default 8788; 0 picks a free one)', nonNegativeNumber)
    .option('--host <host>', 'HTTP interface (default 127.0.0.1)')
    .option('--allow-remote', 'allow binding to a non-loopback interface')
    .option('--engine <url>', 'sqlite:<path> (default sqlite:.swarm/swarm.db) or nats://host:4222')
    .option('--store <file>', 'SQLite run store (default .swarm/swarm.db)')
    .option('--agents <dir>', 'manifest directory (default ./agents)')
    .option('-w, --workers <n>', 'workflow steps run at once in this process (default 2)', positiveNumber)
    .addHelpText(
      'after',
      '\nExamples:\n  $ swarm mcp serve                      (stdio: for an IDE or another agent to launch)\n  $ swarm mcp serve --http --port 8788   (http://127.0.0.1:8788/mcp)',
    )
    .action((opts) => runAction(async () => (await load()).mcpServe({ ...globals(), ...opts })));
}
