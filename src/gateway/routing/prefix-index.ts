/**
 * An approximate record of which backend has which prompt prefixes cached.
 * A prompt is cut into chunks of `chunkChars`; the key of chunk i is a
 * 53-bit hash of everything up to its end, so equal keys mean equal
 * prefixes (up to hash collisions, which only cost a worse routing guess).
 * Each key maps to a bit set of backends that were sent that prefix. The
 * map is an LRU of at most `maxChunks` keys: memory stays bounded, and
 * prefixes nobody asks for any more fade out, as they do from the servers'
 * own caches.
 */
export class PrefixIndex {
  private readonly entries = new Map<number, number>();
  /** Per backend bit, its chunks in least-recently-sent order, when backends have a capacity. */
  private readonly held = new Map<number, Set<number>>();

  /**
   * `backendChunks`, when set, is about how many chunks one backend's KV
   * cache holds: past it, a backend's least recently sent chunks are taken
   * off its record, as the server itself evicts them.
   */
  constructor(
    readonly chunkChars: number,
    readonly maxChunks: number,
    readonly backendChunks?: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The chained key of every full chunk of `text`, in order. */
  keys(text: string): number[] {
    const keys: number[] = [];
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    const full = text.length - (text.length % this.chunkChars);
    for (let i = 0; i < full; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
      if ((i + 1) % this.chunkChars === 0) keys.push((h1 >>> 0) * 0x200000 + (h2 >>> 11));
    }
    return keys;
  }

  /**
   * The backends (as a bit set, within `candidates`) that share the longest
   * run of leading chunks with `keys`, and how many chunks that is.
   */
  longestMatch(keys: readonly number[], candidates: number): { backends: number; chunks: number } {
    let alive = candidates;
    let chunks = 0;
    for (const key of keys) {
      const holders = this.entries.get(key);
      if (holders === undefined) break;
      const next = alive & holders;
      if (next === 0) break;
      alive = next;
      chunks += 1;
    }
    return { backends: chunks === 0 ? 0 : alive, chunks };
  }

  /** Records that the backend with bit `bit` was sent these chunks, making them the most recent. */
  insert(keys: readonly number[], bit: number): void {
    for (const key of keys) {
      const holders = this.entries.get(key) ?? 0;
      this.entries.delete(key);
      this.entries.set(key, holders | bit);
    }
    if (this.backendChunks !== undefined) this.hold(keys, bit, this.backendChunks);
    if (this.entries.size <= this.maxChunks) return;
    for (const key of this.entries.keys()) {
      this.entries.delete(key);
      if (this.entries.size <= this.maxChunks) break;
    }
  }

  private hold(keys: readonly number[], bit: number, capacity: number): void {
    let held = this.held.get(bit);
    if (!held) {
      held = new Set();
      this.held.set(bit, held);
    }
    for (const key of keys) {
      held.delete(key);
      held.add(key);
    }
    for (const oldest of held) {
      if (held.size <= capacity) break;
      held.delete(oldest);
      const holders = (this.entries.get(oldest) ?? 0) & ~bit;
      if (holders === 0) this.entries.delete(oldest);
      else this.entries.set(oldest, holders);
    }
  }
}
