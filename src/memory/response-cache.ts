import { createHash } from 'node:crypto';
import { z } from 'zod';
import type {
  CacheableCall,
  CacheOutcome,
  CacheProvenance,
  CacheRunOptions,
  ModelCallResult,
  ResponseCache as ModelResponseCache,
} from '../models/index.js';
import { type CallKeys, callKeys } from './cache-key.js';
import { DocumentFrequencies } from './document-frequencies.js';
import { MemoryOptionError } from './errors.js';
import { HashedEmbedder } from './hashed-embedder.js';
import { InFlight } from './in-flight.js';
import type { MemoryStore } from './memory-store.js';
import { hamming64, type SimHash, SimHasher } from './simhash.js';
import { TextFeatures, UNIGRAM } from './text-features.js';

export const responseCacheOptionsSchema = z.strictObject({
  maxEntries: z.number().int().positive().default(10_000),
  /** Approximate bytes of stored answers. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(256 << 20),
  ttlMs: z
    .number()
    .int()
    .positive()
    .default(24 * 60 * 60 * 1000),
  /** Calls sampled hotter than this are neither served nor stored, nor coalesced: their variety is the point. */
  maxTemperature: z.number().min(0).max(2).default(0.2),
  /** The temperature of a call that sets none; most providers default to 1. */
  unsetTemperature: z.number().min(0).max(2).default(1),
  /** Serve near hits (same parameters, conversation differing only in phrasing), not just exact ones. */
  near: z.boolean().default(true),
  /** Most SimHash bits a near hit may differ in. */
  maxHamming: z.number().int().min(0).max(3).default(3),
  /** Least cosine similarity of the normalised conversations a near hit needs (strict by default). */
  minSimilarity: z.number().min(0).max(1).default(0.97),
  /** A near hit must also have the same significant tokens in the same order (numbers, negations, identifiers). */
  strict: z.boolean().default(true),
});
export type ResponseCacheOptions = z.input<typeof responseCacheOptionsSchema>;

export type { CacheOutcome, CacheSource } from '../models/index.js';

export interface ResponseCacheStats {
  entries: number;
  bytes: number;
  exactHits: number;
  nearHits: number;
  coalesced: number;
  misses: number;
  bypassed: number;
  invalidated: number;
  evicted: number;
}

interface Entry {
  key: string;
  params: string;
  result: ModelCallResult;
  dependencies: string[];
  simhash: SimHash;
  guard: string;
  vector: Float32Array;
  bytes: number;
  expires: number;
}

const BANDS = 4;
/** Most entries taken from one band when the token guard is off (a template's variants share bands). */
const MAX_BAND_CANDIDATES = 64;
const VECTOR_DIMS = 256;

/**
 * The response cache and de-duplication for the model layer (the model
 * layer defines the interface; this implements it). A call's key is its
 * model chain, parameters, tenant and whole normalised conversation.
 * Exact hits are a hash lookup. Near hits need the same parameters, the
 * same significant words in the same order (an index on them keeps lookup
 * O(1)), a SimHash within 3 bits and a cosine above the threshold: "Please list the files." finds "list the files", but
 * "list the file", "do not list the files" and a one-word change deep in a
 * long prompt do not. Answers record the memory sources they were built
 * from and are dropped the moment one of them changes; TTL and size bounds
 * (least recently used first) apply besides. Identical calls in flight are
 * made once.
 */
export class ResponseCache implements ModelResponseCache {
  private readonly options: z.output<typeof responseCacheOptionsSchema>;
  private readonly entries = new Map<string, Entry>();
  private readonly bands = new Map<string, Set<string>>();
  private readonly byGuard = new Map<string, Set<string>>();
  private readonly byDependency = new Map<string, Set<string>>();
  private readonly inFlight = new InFlight<CacheOutcome>();
  private readonly features = new TextFeatures();
  private readonly simhasher = new SimHasher();
  private readonly embedder = new HashedEmbedder(VECTOR_DIMS);
  private readonly uniform = new DocumentFrequencies();
  private bytes = 0;
  private readonly counters = {
    exactHits: 0,
    nearHits: 0,
    coalesced: 0,
    misses: 0,
    bypassed: 0,
    invalidated: 0,
    evicted: 0,
  };

  constructor(
    options: ResponseCacheOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    const parsed = responseCacheOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new MemoryOptionError(
        'response cache options',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      );
    }
    this.options = parsed.data;
  }

  /**
   * The whole path of one model call: a cached answer if there is one,
   * else the answer of an identical call already in flight, else `execute`
   * (its answer stored with the sources it depends on).
   */
  async run(
    call: CacheableCall,
    options: CacheRunOptions & { dependencies?: readonly string[] },
    execute: () => Promise<ModelCallResult>,
  ): Promise<CacheOutcome> {
    if (!this.cacheable(call)) {
      this.counters.bypassed++;
      return { result: await execute(), source: 'upstream' };
    }
    const keys = callKeys(call);
    const cached = this.find(keys);
    if (cached) return cached;
    let led = false;
    const dependencies = [...(options.dependencies ?? []), ...dependencyKeys(options.provenance)];
    const work = async () => {
      led = true;
      this.counters.misses++;
      const result = await execute();
      this.put(keys, result, dependencies);
      return { result, source: 'upstream' as const };
    };
    const outcome = await this.inFlight.run(keys.exact, options.signal, work, options.personal);
    if (led) return outcome;
    this.counters.coalesced++;
    return { result: outcome.result, source: 'coalesced' };
  }

  /** A stored answer for the call, without calling anything. */
  lookup(call: CacheableCall): CacheOutcome | undefined {
    return this.cacheable(call) ? this.find(callKeys(call)) : undefined;
  }

  /** Stores an answer (unless the call is sampled too hot to serve again) with what it was built from. */
  store(call: CacheableCall, result: ModelCallResult, provenance?: CacheProvenance): void {
    if (this.cacheable(call)) this.put(callKeys(call), result, dependencyKeys(provenance));
  }

  /** Drops every answer built on `dependency` (a source version `path#hash`, or `segment:<id>`); returns how many went. */
  invalidate(dependency: string): number {
    const keys = this.byDependency.get(dependency);
    if (!keys) return 0;
    let dropped = 0;
    for (const key of [...keys]) {
      const entry = this.entries.get(key);
      if (entry) {
        this.remove(entry);
        dropped++;
      }
    }
    this.counters.invalidated += dropped;
    return dropped;
  }

  /** Invalidates answers as soon as the memory store stops serving a source or a segment they were built from. */
  attach(store: MemoryStore): () => void {
    return store.onChange((change) => {
      for (const source of change.removedSources) this.invalidate(source);
      for (const segment of change.changedSegments) this.invalidate(segmentKey(segment));
    });
  }

  stats(): ResponseCacheStats {
    return { entries: this.entries.size, bytes: this.bytes, ...this.counters };
  }

  clear(): void {
    for (const entry of [...this.entries.values()]) this.remove(entry);
  }

  private cacheable(call: CacheableCall): boolean {
    return (call.temperature ?? this.options.unsetTemperature) <= this.options.maxTemperature;
  }

  private find(keys: CallKeys): CacheOutcome | undefined {
    const now = this.now();
    const exact = this.entries.get(keys.exact);
    if (exact) {
      if (exact.expires > now) {
        this.touch(exact);
        this.counters.exactHits++;
        return { result: exact.result, source: 'exact' };
      }
      this.remove(exact);
    }
    if (!this.options.near) return undefined;
    const guard = digest(keys.tokens.join('\u0000'));
    // strict: only entries with the same significant tokens qualify, and they are one map lookup away
    const strictCandidates = this.options.strict ? this.byGuard.get(`${keys.params}|${guard}`) : undefined;
    if (this.options.strict && !strictCandidates) return undefined;
    const simhash = this.simhashOf(keys.text);
    const candidates = strictCandidates ?? this.bandCandidates(keys.params, simhash);
    let vector: Float32Array | undefined;
    for (const key of candidates) {
      const entry = this.entries.get(key);
      if (!entry || entry.expires <= now) continue;
      if (hamming64(entry.simhash.hi, entry.simhash.lo, simhash.hi, simhash.lo) > this.options.maxHamming)
        continue;
      vector ??= this.vectorOf(keys.text);
      if (cosine(entry.vector, vector) < this.options.minSimilarity) continue;
      this.touch(entry);
      this.counters.nearHits++;
      return { result: entry.result, source: 'near' };
    }
    return undefined;
  }

  /** Entries sharing a 16-bit band with the SimHash (pigeonhole: within 3 bits, one of 4 bands is equal). */
  private bandCandidates(params: string, simhash: SimHash): Set<string> {
    const found = new Set<string>();
    for (let band = 0; band < BANDS; band++) {
      let taken = 0;
      for (const key of this.bands.get(bandKey(params, band, simhash)) ?? []) {
        found.add(key);
        if (++taken >= MAX_BAND_CANDIDATES) break;
      }
    }
    return found;
  }

  private put(keys: CallKeys, result: ModelCallResult, dependencies: readonly string[]) {
    const existing = this.entries.get(keys.exact);
    if (existing) this.remove(existing);
    const entry: Entry = {
      key: keys.exact,
      params: keys.params,
      result,
      dependencies: [...new Set(dependencies)],
      simhash: this.simhashOf(keys.text),
      guard: digest(keys.tokens.join('\u0000')),
      vector: this.vectorOf(keys.text),
      bytes: 1024 + VECTOR_DIMS * 4 + (result.text.length + JSON.stringify(result.toolCalls).length) * 2,
      expires: this.now() + this.options.ttlMs,
    };
    this.entries.set(entry.key, entry);
    this.bytes += entry.bytes;
    for (let band = 0; band < BANDS; band++)
      index(this.bands, bandKey(entry.params, band, entry.simhash), entry.key);
    index(this.byGuard, `${entry.params}|${entry.guard}`, entry.key);
    for (const dependency of entry.dependencies) index(this.byDependency, dependency, entry.key);
    // least recently used first: a Map iterates in insertion order, and a hit re-inserts
    for (const oldest of this.entries.values()) {
      if (this.entries.size <= this.options.maxEntries && this.bytes <= this.options.maxBytes) break;
      if (oldest === entry) break;
      this.remove(oldest);
      this.counters.evicted++;
    }
  }

  private touch(entry: Entry) {
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
  }

  private remove(entry: Entry) {
    if (this.entries.get(entry.key) !== entry) return;
    this.entries.delete(entry.key);
    this.bytes -= entry.bytes;
    for (let band = 0; band < BANDS; band++)
      unindex(this.bands, bandKey(entry.params, band, entry.simhash), entry.key);
    unindex(this.byGuard, `${entry.params}|${entry.guard}`, entry.key);
    for (const dependency of entry.dependencies) unindex(this.byDependency, dependency, entry.key);
  }

  private simhashOf(text: string): SimHash {
    const f = this.features.analyse(text);
    const weights = new Float32Array(f.size);
    for (let i = 0; i < f.size; i++) weights[i] = f.classes[i] === UNIGRAM ? 1 + Math.log(f.counts[i]!) : 0;
    return this.simhasher.hash(f.keys, weights, f.size);
  }

  private vectorOf(text: string): Float32Array {
    return this.embedder.embedText(text, this.uniform);
  }
}

function segmentKey(id: number): string {
  return `segment:${id}`;
}

function dependencyKeys(provenance: CacheProvenance | undefined): string[] {
  return [...(provenance?.sources ?? []), ...(provenance?.segments ?? []).map(segmentKey)];
}

function index(map: Map<string, Set<string>>, key: string, entry: string) {
  const set = map.get(key) ?? new Set<string>();
  map.set(key, set);
  set.add(entry);
}

function unindex(map: Map<string, Set<string>>, key: string, entry: string) {
  const set = map.get(key);
  set?.delete(entry);
  if (set?.size === 0) map.delete(key);
}

function bandKey(params: string, band: number, simhash: SimHash): string {
  const word = band < 2 ? simhash.hi : simhash.lo;
  const bits = (word >>> ((band % 2) * 16)) & 0xffff;
  return `${params}|${band}|${bits}`;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
