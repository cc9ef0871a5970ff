import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';

/** One tool as a server lists it, checked field by field. */
export interface McpToolInfo {
  name: string;
  title?: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolListing {
  tools: McpToolInfo[];
  /** Entries that are not tools at all (no name, a schema that is not an object). */
  malformed: { index: number; name?: string; reason: string }[];
}

const pageSchema = z.looseObject({
  tools: z.array(z.unknown()),
  nextCursor: z.string().optional(),
});

const toolSchema = z.looseObject({
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()),
});

const MAX_PAGES = 100;

/**
 * Lists every tool, following `nextCursor`. The page is checked with a
 * lenient schema and each tool on its own, so one malformed entry costs that
 * tool only, not the server's whole list (the SDK's `listTools` rejects the
 * page).
 */
export async function listAllTools(client: Client, timeoutMs: number): Promise<ToolListing> {
  const listing: ToolListing = { tools: [], malformed: [] };
  let cursor: string | undefined;
  let index = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await client.request(
      { method: 'tools/list', params: cursor ? { cursor } : {} },
      pageSchema,
      { timeout: timeoutMs },
    );
    for (const raw of result.tools) {
      const parsed = toolSchema.safeParse(raw);
      if (parsed.success) {
        const { name, title, description, inputSchema } = parsed.data;
        listing.tools.push({
          name,
          description: description ?? '',
          inputSchema,
          ...(title ? { title } : {}),
        });
      } else {
        const name = (raw as { name?: unknown } | null)?.name;
        listing.malformed.push({
          index,
          ...(typeof name === 'string' ? { name } : {}),
          reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'tool'}: ${i.message}`).join('; '),
        });
      }
      index++;
    }
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return listing;
}
