export * from './audit-errors.js';
export { AuditLog, type AuditLogOptions, openProcessAuditLog } from './audit-log.js';
export {
  type AuditEntry,
  type AuditRecord,
  auditRecordSchema,
  canonicalJson,
  GENESIS,
  recordHash,
} from './audit-record.js';
export { AuditRecorder, type AuditRecorderOptions } from './audit-recorder.js';
export {
  type AuditProblem,
  type AuditProblemKind,
  type AuditReport,
  verifyAuditLog,
} from './audit-verify.js';
