import { z } from 'zod';
import { MemoryOptionError } from './errors.js';
import type { MemoryStore } from './memory-store.js';
import { searchFilterSchema } from './search-filter.js';
import { SEARCH_MODES, type SearchHit } from './search-request.js';
import { sourceKey } from './source-record.js';
import { exactTokenCounter } from './token-counter.js';

export const packRequestSchema = z.strictObject({
  query: z.string().min(1),
  /** Most tokens the packed context may take (counted exactly, headers included). */
  budgetTokens: z.number().int().min(32).max(2_000_000).default(4000),
  mode: z.enum(SEARCH_MODES).default('hybrid'),
  filter: searchFilterSchema.optional(),
  /** How many search hits are considered. */
  candidates: z.number().int().min(1).max(500).default(50),
  /** 0 = by relevance only; higher trades relevance for variety (maximal marginal relevance). */
  diversity: z.number().min(0).max(1).default(0.3),
});
export type PackRequestInput = z.input<typeof packRequestSchema>;

export interface PackedBlock {
  path: string;
  startLine: number;
  endLine: number;
  symbols: string[];
  language?: string;
  text: string;
  /** Best relevance of the chunks in the block, 0 to 1. */
  relevance: number;
  /** The chunk ids merged into this block. */
  chunks: string[];
}

export interface PackedContext {
  query: string;
  /** The blocks rendered for a prompt: a header per block, code fenced. */
  text: string;
  tokens: number;
  budgetTokens: number;
  blocks: PackedBlock[];
  /** Source versions (`path#hash`) the context was built from: a response cache invalidates on them. */
  dependencies: string[];
  notice?: string;
}

interface Candidate {
  hit: SearchHit;
  relevance: number;
  vector: Float32Array | undefined;
  terms: Set<string>;
  tokens: number;
}

/**
 * Fills a token budget with the chunks most worth a model's attention:
 * search, then choose by maximal marginal relevance (relevance minus
 * similarity to what is already chosen, so five near-copies of one
 * function do not crowd out the other file that matters), merge chunks of
 * one file that touch or overlap into one block, and order the blocks:
 * files by their best relevance, blocks within a file by position, so the
 * model reads code in source order.
 */
export async function packContext(store: MemoryStore, input: PackRequestInput): Promise<PackedContext> {
  const parsed = packRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new MemoryOptionError(
      'pack request',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  const request = parsed.data;
  const count = await exactTokenCounter();
  const result = await store.search({
    query: request.query,
    k: request.candidates,
    mode: request.mode,
    dedupe: 'exact',
    ...(request.filter ? { filter: request.filter } : {}),
  });
  const top = result.hits[0]?.score ?? 0;
  const vectors = store.vectorsOf(result.hits.map((h) => h.id));
  const candidates: Candidate[] = result.hits.map((hit, i) => ({
    hit,
    relevance: top > 0 ? hit.score / top : 0,
    vector: vectors[i],
    terms: new Set(hit.text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []),
    tokens: count(hit.text) + HEADER_TOKENS,
  }));

  let chosen = choose(candidates, request.budgetTokens, 1 - request.diversity);
  let blocks = mergeBlocks(chosen);
  let text = render(blocks);
  let tokens = count(text);
  // headers and fences are estimated while choosing; drop the least relevant until the exact count fits
  while (tokens > request.budgetTokens && chosen.length > 0) {
    chosen = chosen.filter((c) => c !== chosen.reduce((a, b) => (b.relevance < a.relevance ? b : a)));
    blocks = mergeBlocks(chosen);
    text = render(blocks);
    tokens = count(text);
  }
  const dependencies = [...new Set(chosen.map((c) => sourceKey(c.hit.path, c.hit.sourceHash)))].sort();
  return {
    query: request.query,
    text,
    tokens,
    budgetTokens: request.budgetTokens,
    blocks,
    dependencies,
    ...(result.notice ? { notice: result.notice } : {}),
  };
}

/** Rough cost of a block's header and code fence, refined by the exact count of the rendered text. */
const HEADER_TOKENS = 16;

function choose(candidates: Candidate[], budget: number, lambda: number): Candidate[] {
  const chosen: Candidate[] = [];
  const left = [...candidates];
  let used = 0;
  while (left.length > 0) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    left.forEach((candidate, i) => {
      if (used + candidate.tokens > budget) return;
      const redundancy = chosen.reduce((max, c) => Math.max(max, similarity(candidate, c)), 0);
      const score = lambda * candidate.relevance - (1 - lambda) * redundancy;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    if (best < 0) break;
    const [picked] = left.splice(best, 1);
    chosen.push(picked!);
    used += picked!.tokens;
  }
  return chosen;
}

/** Cosine of the stored vectors, or word overlap (Jaccard) when a chunk has no vector yet. */
function similarity(a: Candidate, b: Candidate): number {
  if (a.vector && b.vector && a.vector.length === b.vector.length) {
    let dot = 0;
    for (let i = 0; i < a.vector.length; i++) dot += a.vector[i]! * b.vector[i]!;
    return Math.max(0, dot);
  }
  let shared = 0;
  for (const term of a.terms) if (b.terms.has(term)) shared++;
  const union = a.terms.size + b.terms.size - shared;
  return union === 0 ? 0 : shared / union;
}

function mergeBlocks(chosen: readonly Candidate[]): PackedBlock[] {
  const byFile = new Map<string, Candidate[]>();
  for (const c of chosen) {
    const key = sourceKey(c.hit.path, c.hit.sourceHash);
    byFile.set(key, [...(byFile.get(key) ?? []), c]);
  }
  const files: PackedBlock[][] = [];
  for (const group of byFile.values()) {
    group.sort((a, b) => a.hit.start - b.hit.start);
    const blocks: (PackedBlock & { end: number })[] = [];
    let current: (PackedBlock & { end: number }) | undefined;
    for (const { hit, relevance } of group) {
      if (current && (hit.start <= current.end || follows(current.chunks.at(-1)!, hit.id))) {
        // overlapping, or the next chunk of the file (only blank space between): append what is new
        if (hit.end > current.end) {
          const overlap = Math.max(0, current.end - hit.start);
          const gap =
            hit.start > current.end ? '\n'.repeat(Math.max(1, hit.startLine - current.endLine)) : '';
          current.text += gap + hit.text.slice(overlap);
          current.end = hit.end;
          current.endLine = Math.max(current.endLine, hit.endLine);
        }
        current.relevance = Math.max(current.relevance, relevance);
        current.chunks.push(hit.id);
        if (hit.symbol && !current.symbols.includes(hit.symbol)) current.symbols.push(hit.symbol);
        continue;
      }
      current = {
        path: hit.path,
        startLine: hit.startLine,
        endLine: hit.endLine,
        symbols: hit.symbol ? [hit.symbol] : [],
        ...(hit.language ? { language: hit.language } : {}),
        text: hit.text,
        relevance,
        chunks: [hit.id],
        end: hit.end,
      };
      blocks.push(current);
    }
    files.push(blocks.map(({ end: _end, ...block }) => block));
  }
  const best = (blocks: PackedBlock[]) => Math.max(...blocks.map((b) => b.relevance));
  return files.sort((a, b) => best(b) - best(a)).flat();
}

/** Chunk ids are `segment:doc`, and a file's chunks are consecutive documents of a segment. */
function follows(previous: string, next: string): boolean {
  const [a, i] = previous.split(':').map(Number);
  const [b, j] = next.split(':').map(Number);
  return a === b && j === i! + 1;
}

function render(blocks: readonly PackedBlock[]): string {
  return blocks
    .map((block) => {
      const where = `${block.path}:${block.startLine}-${block.endLine}`;
      const title = block.symbols.length > 0 ? `${where} (${block.symbols.join(', ')})` : where;
      const fence = block.text.includes('```') ? '````' : '```';
      return `### ${title}\n${fence}${block.language ?? ''}\n${block.text}\n${fence}`;
    })
    .join('\n\n');
}
