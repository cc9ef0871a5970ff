export type { MemoryChange, MemoryStats } from './memory-store/memory-stats.js';
export { MemoryStore } from './memory-store/memory-store.js';
