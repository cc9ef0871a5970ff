import { z } from 'zod';
import {
  DOC_KINDS,
  MemoryNotFoundError,
  MemoryStore,
  SEARCH_MODES,
  type SearchHit,
  storeVersion,
} from '../memory/index.js';
import { defineTool, type Tool } from './tool.js';

const input = z.strictObject({
  query: z.string().min(1).max(4000).describe('What to look for, in words or identifiers.'),
  k: z.number().int().min(1).max(50).default(8).describe('How many chunks to return. Defaults to 8.'),
  mode: z
    .enum(SEARCH_MODES)
    .default('hybrid')
    .describe('hybrid (default), bm25 for exact words and identifiers, vector for similar wording.'),
  path: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Filter: only files matching this glob, e.g. `src/**/*.ts`, or `*.md` for a file name anywhere.',
    ),
  kind: z.enum(DOC_KINDS).optional().describe('Filter: only code, markdown or text.'),
  source: z
    .string()
    .min(1)
    .optional()
    .describe('Filter: only the collection of this name (given at ingest).'),
});

export interface MemoryChunk {
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The collection it was ingested into. */
  source: string;
  kind: string;
  symbol?: string;
  score: number;
  text: string;
}

export interface MemorySearchResult {
  chunks: MemoryChunk[];
  /** Why nothing (or less than asked) came back, in words the model can act on. */
  notice?: string;
}

export interface MemorySearchToolOptions {
  /** The run's memory store directory (config `memory.dir`). */
  dir: string;
  /** What stored paths are relative to. */
  root: string;
}

export type MemorySearchTool = Tool<typeof input> & {
  /** Closes the store if a search opened it. */
  close(): Promise<void>;
};

/** The name agents' manifests list to search the project memory. */
export const MEMORY_SEARCH_TOOL = 'memory_search';

/**
 * `memory_search`: the agents' way into the run's memory store, and only
 * that one, searched within the caller's tenant. The store is opened
 * read-only at the first search and again whenever an ingest has committed
 * since, so a running agent sees what was ingested meanwhile.
 */
export function memorySearchTool(options: MemorySearchToolOptions): MemorySearchTool {
  let opened: { version: string; store: Promise<MemoryStore> } | undefined;

  const storeFor = async (): Promise<MemoryStore> => {
    const version = storeVersion(options.dir);
    if (version === undefined) throw new MemoryNotFoundError(options.dir);
    if (opened?.version === version) return opened.store;
    const previous = opened?.store;
    const store = MemoryStore.open({ dir: options.dir, root: options.root, readOnly: true });
    opened = { version, store };
    // a search still running on the old snapshot keeps its own segments open until it ends
    void previous?.then((old) => old.close()).catch(() => undefined);
    return store;
  };

  const tool = defineTool({
    name: MEMORY_SEARCH_TOOL,
    description:
      'Search the project memory (ingested code and documents) by words and meaning. Returns the best ' +
      'chunks, each with its file, line range, collection and text. Narrow it with path, kind or source.',
    input,
    async execute({ query, k, mode, path, kind, source }, { ctx }) {
      const store = await storeFor();
      const result = await store.search({
        query,
        k,
        mode,
        filter: {
          tenant: ctx.tenantId,
          ...(path ? { path } : {}),
          ...(kind ? { kind } : {}),
          ...(source ? { source } : {}),
        },
      });
      const out: MemorySearchResult = { chunks: result.hits.map(chunkOf) };
      if (result.notice) out.notice = result.notice;
      return out;
    },
  });
  return Object.assign(tool, {
    async close() {
      const store = opened?.store;
      opened = undefined;
      await store?.then((s) => s.close()).catch(() => undefined);
    },
  });
}

function chunkOf(hit: SearchHit): MemoryChunk {
  return {
    path: hit.path,
    startLine: hit.startLine,
    endLine: hit.endLine,
    source: hit.source,
    kind: hit.kind,
    ...(hit.symbol ? { symbol: hit.symbol } : {}),
    score: Math.round(hit.score * 10_000) / 10_000,
    text: hit.text,
  };
}
