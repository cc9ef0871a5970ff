import { createHash } from 'node:crypto';
import { CHARS_PER_TOKEN } from './tokens.js';

/** vLLM's default KV block size. */
export const BLOCK_TOKENS = 16;
const BLOCK_CHARS = BLOCK_TOKENS * CHARS_PER_TOKEN;

/**
 * A stand-in for vLLM's automatic prefix caching: the prompt is cut into
 * full blocks, each keyed by a hash chained over everything before it (so a
 * block only matches after an identical prefix), kept in an LRU of
 * `capacity` blocks. Hits are the leading blocks already cached, which is
 * what a prefix-aware router can exploit and what /metrics reports.
 */
export class PrefixCache {
  private readonly blocks = new Set<string>();

  constructor(readonly capacity: number) {}

  /** Returns how many leading full blocks of `prompt` were cached, then caches them all. */
  lookup(model: string, prompt: string): number {
    let parent = model;
    let hits = 0;
    let chainIntact = true;
    for (let start = 0; start + BLOCK_CHARS <= prompt.length; start += BLOCK_CHARS) {
      const key = createHash('sha256')
        .update(parent)
        .update('\0')
        .update(prompt.slice(start, start + BLOCK_CHARS))
        .digest('base64');
      if (chainIntact && this.blocks.has(key)) hits += 1;
      else chainIntact = false;
      // Re-inserting moves the block to the most recently used end.
      this.blocks.delete(key);
      this.blocks.add(key);
      parent = key;
    }
    for (const oldest of this.blocks) {
      if (this.blocks.size <= this.capacity) break;
      this.blocks.delete(oldest);
    }
    return hits;
  }
}
