export * from './errors.js';
export {
  type NodeRow,
  type RunRow,
  type RunStatus,
  RunStore,
  type StepRow,
  type StoredEvent,
} from './run-store.js';
export { isReadOnly, type Migration, openSqlite } from './sqlite-file.js';
