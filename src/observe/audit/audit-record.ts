import { createHash } from 'node:crypto';
import { z } from 'zod';

/** The `prev` of the first record: no record comes before it. */
export const GENESIS = '0'.repeat(64);

export const auditRecordSchema = z
  .object({
    seq: z.number().int().positive(),
    ts: z.number().int().nonnegative(),
    kind: z.string().min(1),
    runId: z.string(),
    actor: z.string(),
    data: z.record(z.string(), z.unknown()),
    prev: z.string().regex(/^[0-9a-f]{64}$/),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** What a caller decides; the log adds seq, ts, prev and hash. */
export interface AuditEntry {
  kind: string;
  runId: string;
  actor: string;
  data: Record<string, unknown>;
}

/** SHA-256 (hex) over the canonical JSON of the record without its hash. */
export function recordHash(record: Omit<AuditRecord, 'hash'> | AuditRecord): string {
  const { hash: _ignored, ...body } = record as AuditRecord;
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * JSON with object keys sorted at every level and no whitespace, so the same
 * record always hashes the same whatever order its keys were written in.
 * Undefined values are dropped, as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
