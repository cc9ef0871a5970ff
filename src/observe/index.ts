export * from './errors.js';
export { type NodeRow, type RunRow, type RunStatus, RunStore, type StoredEvent } from './run-store.js';
export { openStoreFile } from './sqlite-file.js';
