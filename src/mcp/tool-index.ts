import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryLockedError, MemoryStore, type SearchMode, type TextDocument } from '../memory/index.js';

/** What the index knows of one tool. */
export interface IndexedTool {
  /** The Swarm tool name agents call. */
  name: string;
  /** The MCP server, or `builtin`. */
  server: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolMatch {
  name: string;
  server: string;
  description: string;
  rank: number;
  score: number;
}

const PREFIX = 'tools/';

/**
 * BM25 by default: on bench/mcp-tool-index.ts's 50 labelled needs over 1,000
 * tools it finds as many right tools in the top 3 as hybrid search with the
 * hashed (lexical) embedder, more at rank 1, in a ninth of the time.
 */
const DEFAULT_MODE: SearchMode = 'bm25';

/**
 * Tool descriptions in a memory store, one document per tool (its name in
 * words, description, and each parameter's name and description), searched
 * with memory's BM25, hashed vectors, or both fused. Updating re-indexes only
 * tools whose text changed and forgets tools that are gone.
 */
export class ToolIndex {
  private readonly known = new Map<string, IndexedTool>();
  private fresh = true;

  private constructor(
    private readonly store: MemoryStore,
    private readonly ownDir: string | undefined,
  ) {}

  /**
   * Opens the index in `dir`. When another process holds it (a running
   * `swarm mcp serve`), this process indexes into a private subdirectory,
   * removed on close.
   */
  static async open(dir: string): Promise<ToolIndex> {
    const options = { background: false, chunking: { maxTokens: 1024 } } as const;
    try {
      return new ToolIndex(await MemoryStore.open({ dir, ...options }), undefined);
    } catch (error) {
      if (!(error instanceof MemoryLockedError)) throw error;
      const own = join(dir, `process-${process.pid}`);
      return new ToolIndex(await MemoryStore.open({ dir: own, ...options }), own);
    }
  }

  get size(): number {
    return this.known.size;
  }

  /** Makes the index hold exactly these tools. */
  async update(tools: readonly IndexedTool[]): Promise<void> {
    const next = new Map(tools.map((t) => [t.name, t]));
    // The first update also drops what an earlier process left, which this one never saw.
    const gone = this.fresh
      ? [PREFIX]
      : [...this.known.keys()].filter((n) => !next.has(n)).map((n) => PREFIX + n);
    this.fresh = false;
    if (gone.length) await this.store.remove(gone);
    const documents: TextDocument[] = tools.map((t) => ({
      path: PREFIX + t.name,
      text: toolDocument(t),
      kind: 'text',
    }));
    await this.store.ingestDocuments(documents, { source: 'tools' });
    this.known.clear();
    for (const [name, tool] of next) this.known.set(name, tool);
  }

  /** The `k` tools that best fit a need, best first. */
  async search(need: string, k = 5, mode: SearchMode = DEFAULT_MODE): Promise<ToolMatch[]> {
    if (this.known.size === 0 || need.trim() === '') return [];
    const result = await this.store.search({ query: need, k: Math.min(1000, k * 3), mode, dedupe: 'off' });
    const matches: ToolMatch[] = [];
    for (const hit of result.hits) {
      const tool = this.known.get(hit.path.slice(PREFIX.length));
      if (!tool || matches.some((m) => m.name === tool.name)) continue;
      matches.push({
        name: tool.name,
        server: tool.server,
        description: tool.description,
        rank: matches.length + 1,
        score: hit.score,
      });
      if (matches.length === k) break;
    }
    return matches;
  }

  async close(): Promise<void> {
    await this.store.close();
    if (this.ownDir) rmSync(this.ownDir, { recursive: true, force: true });
  }
}

/** The text a tool is found by. Names are split into words so `read_text_file` matches "read a text file". */
export function toolDocument(tool: IndexedTool): string {
  const lines = [`${words(tool.name)} (${tool.server})`, tool.description.trim()];
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { description?: unknown }>;
  const params = Object.entries(properties).map(([name, prop]) => {
    const description = typeof prop?.description === 'string' ? `: ${prop.description}` : '';
    return `- ${words(name)}${description}`;
  });
  if (params.length) lines.push('Parameters:', ...params);
  return lines.join('\n');
}

function words(identifier: string): string {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim();
}
