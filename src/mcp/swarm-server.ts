import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorMessage, isSwarmError } from '../core/errors.js';

/**
 * What `swarm mcp serve` offers, implemented by the command that wires the
 * runtime, the workflow engine, memory and the run store (all above this
 * layer).
 */
export interface SwarmServices {
  listAgents(): Promise<{ name: string; description: string }[]>;
  runAgent(
    input: {
      agent: string;
      task: string;
      timeoutSeconds?: number | undefined;
      budgetUsd?: number | undefined;
    },
    signal: AbortSignal,
  ): Promise<Record<string, unknown>>;
  startWorkflow(input: { file: string; input: Record<string, unknown> }): Promise<Record<string, unknown>>;
  searchMemory(input: { query: string; budgetTokens?: number | undefined }): Promise<{ text: string }>;
  runStatus(runId: string): Promise<Record<string, unknown>>;
}

export const SWARM_MCP_TOOLS = [
  'list_agents',
  'run_agent',
  'start_workflow',
  'search_memory',
  'run_status',
] as const;

/** A fresh MCP server exposing Swarm; one per session (an McpServer serves one transport). */
export function createSwarmMcpServer(services: SwarmServices, version: string): McpServer {
  const server = new McpServer(
    { name: 'swarm', version },
    {
      instructions:
        'Swarm runs LLM agents and durable workflows. List agents, run one on a task, or start a workflow, then read the run status.',
    },
  );
  server.registerTool(
    'list_agents',
    { description: 'The agents this Swarm can run, with what each does.', inputSchema: {} },
    () => answer(async () => ({ agents: await services.listAgents() })),
  );
  server.registerTool(
    'run_agent',
    {
      description:
        'Run an agent on a task and wait for its answer. Returns the run id, the outcome and the output.',
      inputSchema: {
        agent: z.string().min(1).describe('Agent name (see list_agents).'),
        task: z.string().min(1).describe('The task, in words.'),
        timeoutSeconds: z
          .number()
          .positive()
          .max(86_400)
          .optional()
          .describe('Cancel the run after this long.'),
        budgetUsd: z.number().positive().optional().describe('Stop before spending more than this.'),
      },
    },
    (args, extra) => answer(() => services.runAgent(args, extra.signal)),
  );
  server.registerTool(
    'start_workflow',
    {
      description:
        'Start a durable workflow (a YAML or JSON file under the Swarm project) and return its run id at once; read progress with run_status.',
      inputSchema: {
        file: z.string().min(1).describe('Workflow file, relative to the project.'),
        input: z.record(z.string(), z.unknown()).default({}).describe('Input values of the workflow.'),
      },
    },
    (args) => answer(() => services.startWorkflow({ file: args.file, input: args.input ?? {} })),
  );
  server.registerTool(
    'search_memory',
    {
      description:
        'Search the project memory (ingested code and documents) and get the most relevant passages.',
      inputSchema: {
        query: z.string().min(1).describe('What to look for.'),
        budgetTokens: z
          .number()
          .int()
          .min(100)
          .max(32_000)
          .optional()
          .describe('Most tokens of context to return.'),
      },
    },
    (args) => answer(async () => services.searchMemory(args)),
  );
  server.registerTool(
    'run_status',
    {
      description:
        'The status of an agent run or workflow run: outcome, tokens, cost, and its agents or steps.',
      inputSchema: {
        runId: z.string().min(1).describe('Run id (a unique prefix is enough for agent runs).'),
      },
    },
    (args) => answer(() => services.runStatus(args.runId)),
  );
  return server;
}

/** A service failure becomes an `isError` result the client can read, never a protocol error. */
async function answer(body: () => Promise<object>): Promise<CallToolResult> {
  try {
    const value = await body();
    const text =
      'text' in value && typeof value.text === 'string' ? value.text : JSON.stringify(value, null, 2);
    return { content: [{ type: 'text', text }], structuredContent: value as Record<string, unknown> };
  } catch (error) {
    const hint = isSwarmError(error) && error.hint ? `\nhint: ${error.hint}` : '';
    return { isError: true, content: [{ type: 'text', text: `${errorMessage(error)}${hint}` }] };
  }
}
