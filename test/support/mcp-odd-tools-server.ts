/**
 * A real MCP server (the official SDK's low-level Server over stdio) whose
 * tool list is partly wrong on purpose: one schema that is not valid JSON
 * Schema, one with a dangling $ref, one entry whose schema is not an object.
 * Calling `add_tool` lists one more tool and sends tools/list_changed.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const tools: Record<string, unknown>[] = [
  {
    name: 'echo',
    description: 'Echo the text back',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  },
  {
    name: 'banana',
    description: 'A schema with a type that does not exist',
    inputSchema: { type: 'object', properties: { x: { type: 'banana' } } },
  },
  {
    name: 'dangling',
    description: 'A schema with a dangling reference',
    inputSchema: { type: 'object', properties: { x: { $ref: '#/definitions/nope' } } },
  },
  { name: 'not_object', description: 'An input schema that is a string', inputSchema: 'nope' },
  { name: 'add_tool', description: 'List one more tool', inputSchema: { type: 'object', properties: {} } },
  { name: 'fail', description: 'Always reports an error', inputSchema: { type: 'object', properties: {} } },
];

// With --no-tools it offers only logging: a server Swarm cannot use.
const noTools = process.argv.includes('--no-tools');
const server = new Server(
  { name: 'odd-tools', version: '1.0.0' },
  { capabilities: noTools ? { logging: {} } : { tools: { listChanged: true } } },
);
if (!noTools) registerTools();
await server.connect(new StdioServerTransport());

function registerTools() {
  // The SDK checks results against its own schema; this server's point is to send what that schema refuses.
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }) as never);
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: args } = request.params;
    if (name === 'echo') return { content: [{ type: 'text', text: String(args?.text) }] };
    if (name === 'fail') return { isError: true, content: [{ type: 'text', text: 'the disk is full' }] };
    if (name === 'add_tool') {
      if (!tools.some((t) => t.name === 'late')) {
        tools.push({
          name: 'late',
          description: 'Added while running',
          inputSchema: { type: 'object', properties: {} },
        });
        await server.sendToolListChanged();
      }
      return { content: [{ type: 'text', text: 'added' }] };
    }
    if (name === 'late') return { content: [{ type: 'text', text: 'late tool works' }] };
    throw new Error(`unknown tool ${name}`);
  });
}
