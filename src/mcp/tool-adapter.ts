import { createHash } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { defineTool, TOOL_NAME, type Tool } from '../tools/tool.js';
import type { CallOptions } from './connection.js';
import { McpToolError } from './errors.js';
import type { McpToolInfo } from './tool-listing.js';

/** Between the server and the tool name in a Swarm tool name: `fs__read_file`. */
export const NAME_SEPARATOR = '__';

/** A server's tool as a Swarm tool, with where it came from. */
export interface McpTool extends Tool {
  readonly server: string;
  readonly mcpName: string;
  /** The schema exactly as the server listed it. */
  readonly inputJsonSchema: Record<string, unknown>;
}

export type ToolCaller = (
  server: string,
  tool: string,
  args: Record<string, unknown>,
  options: CallOptions,
) => Promise<CallToolResult>;

/**
 * The Swarm name of a server's tool: `<server>__<tool>`, with characters
 * providers refuse replaced by `_`, and past 64 characters cut and suffixed
 * with a hash of the full name so two long names stay distinct.
 */
export function swarmToolName(server: string, tool: string): string {
  const full = `${server}${NAME_SEPARATOR}${tool}`;
  const safe = full.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (safe.length <= 64 && safe === full) return safe;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return safe.length <= 55 ? `${safe}_${hash}` : `${safe.slice(0, 55)}_${hash}`;
}

/** Converts the tool's JSON Schema; a schema zod cannot read yields the reason instead. */
export function inputValidator(
  schema: Record<string, unknown>,
): { ok: true; input: z.ZodType } | { ok: false; reason: string } {
  try {
    return { ok: true, input: z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]) };
  } catch (error) {
    return { ok: false, reason: `its input schema is not valid JSON Schema: ${(error as Error).message}` };
  }
}

export function adaptTool(server: string, info: McpToolInfo, input: z.ZodType, call: ToolCaller): McpTool {
  const name = swarmToolName(server, info.name);
  if (!TOOL_NAME.test(name)) throw new Error(`internal: derived tool name ${name} is not valid`);
  const tool = defineTool({
    name,
    description: info.description || info.title || `${info.name} (from the MCP server ${server})`,
    input,
    // MCP tools may do anything; the server's annotations are hints, not guarantees.
    sideEffects: true,
    async execute(args, ctx) {
      const result = await call(server, info.name, (args ?? {}) as Record<string, unknown>, {
        signal: ctx.signal,
      });
      return toolValue(server, info.name, result);
    },
  });
  return Object.assign(tool, { server, mcpName: info.name, inputJsonSchema: info.inputSchema });
}

/**
 * What the agent sees: the structured content when the tool returned some
 * (the spec has servers repeat it as text, which would double the tokens),
 * otherwise the text of the content blocks, images and binary resources
 * summarised. `isError` becomes a thrown McpToolError, which the
 * tool loop hands back to the model as an error result.
 */
export function toolValue(server: string, tool: string, result: CallToolResult): unknown {
  const text = contentText(result.content ?? []);
  if (result.isError)
    throw new McpToolError(server, tool, text || 'the tool reported an error without a message');
  return result.structuredContent ?? text;
}

function contentText(content: CallToolResult['content']): string {
  return content
    .map((block) => {
      switch (block.type) {
        case 'text':
          return block.text;
        case 'image':
        case 'audio':
          return `[${block.type} ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`;
        case 'resource_link':
          return `[resource link ${block.uri}${block.name ? ` (${block.name})` : ''}]`;
        case 'resource':
          return 'text' in block.resource
            ? block.resource.text
            : `[resource ${block.resource.uri}, ${block.resource.mimeType ?? 'binary'}]`;
        default:
          return `[${(block as { type: string }).type}]`;
      }
    })
    .join('\n');
}
