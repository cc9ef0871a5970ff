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
    return this.lookupKeys(this.keys(model, prompt));
  }

  /** The chained key of each full block of `prompt`: compute once, look up in many caches. */
  keys(model: string, prompt: string): string[] {
    const keys: string[] = [];
    let parent = model;
    for (let start = 0; start + BLOCK_CHARS <= prompt.length; start += BLOCK_CHARS) {
      parent = createHash('sha256')
        .update(parent)
        .update('\0')
        .update(prompt.slice(start, start + BLOCK_CHARS))
        .digest('base64');
      keys.push(parent);
    }
    return keys;
  }

  /** Leading blocks cached, counted and then all made most recent (evicting the least recent past capacity). */
  lookupKeys(keys: readonly string[]): number {
    const hits = this.peekKeys(keys);
    for (const key of keys) {
      // Re-inserting moves the block to the most recently used end.
      this.blocks.delete(key);
      this.blocks.add(key);
    }
    for (const oldest of this.blocks) {
      if (this.blocks.size <= this.capacity) break;
      this.blocks.delete(oldest);
    }
    return hits;
  }

  /** Leading blocks cached, without touching the cache: what an oracle router may know. */
  peekKeys(keys: readonly string[]): number {
    let hits = 0;
    while (hits < keys.length && this.blocks.has(keys[hits] as string)) hits += 1;
    return hits;
  }
}
