import { z } from 'zod';
import { DOC_KINDS } from './chunk.js';
import { type PackedContext, packContext } from './context-packer.js';
import type { MemoryStore } from './memory-store.js';
import { SEARCH_MODES } from './search-request.js';

/** The input a model gives the `memory_search` tool. */
export const memorySearchInputSchema = z.strictObject({
  query: z.string().min(1).describe('What to look for, in words or identifiers.'),
  budgetTokens: z
    .number()
    .int()
    .min(100)
    .max(32_000)
    .default(3000)
    .describe('Most tokens of context to return.'),
  path: z.string().min(1).optional().describe('Only files matching this glob, e.g. "src/**/*.ts" or "*.md".'),
  kind: z.enum(DOC_KINDS).optional().describe('Only code, markdown or text.'),
  mode: z
    .enum(SEARCH_MODES)
    .default('hybrid')
    .describe('hybrid (default), bm25 for exact words and identifiers, vector for similar wording.'),
});
export type MemorySearchInput = z.input<typeof memorySearchInputSchema>;

export const MEMORY_SEARCH_DESCRIPTION =
  'Search the project memory (ingested code and documents) and get the most relevant passages, packed ' +
  'within a token budget, each headed by its file and line range.';

export interface MemorySearchOutput {
  /** What the model reads: the packed passages, or why there are none. */
  text: string;
  /** Source versions the answer depends on, for a response cache to record. */
  dependencies: string[];
  packed: PackedContext;
}

/**
 * The body of a `memory_search` tool: validates the model's input, scopes
 * the search to the caller's tenant, and packs the context. The tool layer
 * wraps it (name, description, schema above).
 */
export async function memorySearch(
  store: MemoryStore,
  input: unknown,
  scope: { tenant?: string } = {},
): Promise<MemorySearchOutput> {
  const parsed = memorySearchInputSchema.parse(input);
  const filter = {
    ...(parsed.path ? { path: parsed.path } : {}),
    ...(parsed.kind ? { kind: parsed.kind } : {}),
    ...(scope.tenant ? { tenant: scope.tenant } : {}),
  };
  const packed = await packContext(store, {
    query: parsed.query,
    budgetTokens: parsed.budgetTokens,
    mode: parsed.mode,
    ...(Object.keys(filter).length > 0 ? { filter } : {}),
  });
  const text =
    packed.blocks.length > 0 ? packed.text : `No passages found: ${packed.notice ?? 'nothing matched'}.`;
  return { text, dependencies: packed.dependencies, packed };
}
