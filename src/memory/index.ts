export { type CacheableCall, callKeys } from './cache-key.js';
export { type ChunkDraft, type ChunkOptions, chunkOptionsSchema, DOC_KINDS, type DocKind } from './chunk.js';
export { chunkCode } from './code-chunker.js';
export {
  type PackedBlock,
  type PackedContext,
  type PackRequestInput,
  packContext,
  packRequestSchema,
} from './context-packer.js';
export type { GrammarLanguage } from './document-kind.js';
export * from './errors.js';
export { parserFor } from './grammars.js';
export { InFlight } from './in-flight.js';
export type { IngestOptions, IngestProgress, IngestReport, TextDocument } from './ingest.js';
export { type EmbedderSpec, embedderId, embedderSpecSchema, readManifest, storeVersion } from './manifest.js';
export { chunkMarkdown } from './markdown-chunker.js';
export { DEFAULT_DIMS, type MemoryOptionsInput, memoryOptionsSchema } from './memory-options.js';
export {
  MEMORY_SEARCH_DESCRIPTION,
  type MemorySearchInput,
  type MemorySearchOutput,
  memorySearch,
  memorySearchInputSchema,
} from './memory-search-tool.js';
export { type MemoryChange, type MemoryStats, MemoryStore } from './memory-store.js';
export { globToRegExp, pathMatcher } from './path-glob.js';
export {
  type CacheOutcome,
  type CacheSource,
  ResponseCache,
  type ResponseCacheOptions,
  type ResponseCacheStats,
  responseCacheOptionsSchema,
} from './response-cache.js';
export { type SearchFilter, searchFilterSchema } from './search-filter.js';
export {
  SEARCH_MODES,
  type SearchHit,
  type SearchMode,
  type SearchRequestInput,
  type SearchResult,
  searchRequestSchema,
} from './search-request.js';
export { sourceKey } from './source-record.js';
export { chunkText, TextChunker } from './text-chunker.js';
export { exactTokenCounter } from './token-counter.js';
export { estimateTokens } from './token-estimate.js';
