import { readFileSync } from 'node:fs';
import { AuditFileNotFoundError } from './audit-errors.js';
import { type AuditRecord, auditRecordSchema, GENESIS, recordHash } from './audit-record.js';

export type AuditProblemKind =
  | 'empty'
  | 'malformed'
  | 'truncated'
  | 'altered'
  | 'removed'
  | 'reordered'
  | 'duplicated'
  | 'broken-chain';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** 1-based line of the file where the problem shows. */
  line: number;
  seq?: number;
  message: string;
}

export interface AuditReport {
  file: string;
  ok: boolean;
  records: number;
  /** The last record: keep its hash elsewhere to detect later removal of the newest records. */
  head?: { seq: number; hash: string };
  problems: AuditProblem[];
}

interface Entry {
  line: number;
  record: AuditRecord;
}

/**
 * Checks an audit log and names every record that was altered, removed,
 * reordered or duplicated, and any line that is not a record. A record is
 * altered when its content no longer matches its hash; the chain (each
 * `prev` is the hash of the record before) catches a record rewritten with
 * a fresh hash; sequence numbers tell removal from reordering. What a hash
 * chain cannot see alone is the newest records cut off the end: compare the
 * reported head with one kept elsewhere.
 */
export function verifyAuditLog(file: string): AuditReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AuditFileNotFoundError(file);
    throw error;
  }
  const problems: AuditProblem[] = [];
  if (text.length === 0) {
    problems.push({
      kind: 'empty',
      line: 1,
      message: 'the file is empty: a log is created with its first record, so every record was removed',
    });
    return { file, ok: false, records: 0, problems };
  }
  const entries = parseLines(text, problems);
  checkOrder(entries, problems);
  checkChain(entries, problems);
  problems.sort((a, b) => a.line - b.line);
  const last = entries.reduce<Entry | undefined>(
    (m, e) => (!m || e.record.seq > m.record.seq ? e : m),
    undefined,
  );
  return {
    file,
    ok: problems.length === 0,
    records: entries.length,
    ...(last ? { head: { seq: last.record.seq, hash: last.record.hash } } : {}),
    problems,
  };
}

function parseLines(text: string, problems: AuditProblem[]): Entry[] {
  const lines = text.split('\n');
  const complete = lines.at(-1) === '';
  if (complete) lines.pop();
  const entries: Entry[] = [];
  lines.forEach((raw, i) => {
    const line = i + 1;
    const cut = !complete && i === lines.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      problems.push(
        cut
          ? {
              kind: 'truncated',
              line,
              message: 'the last line is cut off (a write that did not finish, or truncation)',
            }
          : { kind: 'malformed', line, message: 'not valid JSON' },
      );
      return;
    }
    const result = auditRecordSchema.safeParse(parsed);
    if (!result.success) {
      const seq = (parsed as { seq?: unknown } | null)?.seq;
      const issue = result.error.issues[0];
      problems.push({
        kind: 'malformed',
        line,
        ...(typeof seq === 'number' ? { seq } : {}),
        message: `not an audit record: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      });
      return;
    }
    const record = result.data;
    if (recordHash(record) !== record.hash) {
      problems.push({
        kind: 'altered',
        line,
        seq: record.seq,
        message: `record seq ${record.seq} (${record.kind}) was changed after it was written: its content does not match its hash`,
      });
    }
    if (cut)
      problems.push({
        kind: 'truncated',
        line,
        seq: record.seq,
        message: 'the last line has no final newline',
      });
    entries.push({ line, record });
  });
  return entries;
}

/** Sequence numbers must rise by one from 1: a gap is a removal, a step back a reordering. */
function checkOrder(entries: Entry[], problems: AuditProblem[]): void {
  const seen = new Map<number, number>();
  for (const e of entries) {
    const first = seen.get(e.record.seq);
    if (first !== undefined)
      problems.push({
        kind: 'duplicated',
        line: e.line,
        seq: e.record.seq,
        message: `seq ${e.record.seq} appears again (first on line ${first})`,
      });
    else seen.set(e.record.seq, e.line);
  }
  for (let i = 1; i < entries.length; i++) {
    const before = entries[i - 1]!;
    const here = entries[i]!;
    if (here.record.seq < before.record.seq) {
      problems.push({
        kind: 'reordered',
        line: here.line,
        seq: here.record.seq,
        message: `seq ${here.record.seq} comes after seq ${before.record.seq} (line ${before.line}): records were moved`,
      });
    }
  }
  const max = Math.max(0, ...seen.keys());
  const ordered = [...seen.keys()].sort((a, b) => a - b);
  let expected = 1;
  for (const seq of [...ordered, max + 1]) {
    if (seq > expected) {
      const nextLine = seq <= max ? seen.get(seq)! : (entries.at(-1)?.line ?? 0) + 1;
      const range = seq - 1 === expected ? `seq ${expected} is` : `seq ${expected} to ${seq - 1} are`;
      problems.push({
        kind: 'removed',
        line: nextLine,
        seq: expected,
        message: `${range} missing (before line ${nextLine}): records were removed`,
      });
    }
    expected = seq + 1;
  }
}

/** Each record's `prev` must be the stored hash of the record numbered before it. */
function checkChain(entries: Entry[], problems: AuditProblem[]): void {
  const bySeq = new Map(entries.map((e) => [e.record.seq, e]));
  for (const e of entries) {
    const { seq, prev } = e.record;
    if (seq === 1) {
      if (prev !== GENESIS)
        problems.push({
          kind: 'broken-chain',
          line: e.line,
          seq,
          message: 'the first record does not start the chain (its prev is not the genesis hash)',
        });
      continue;
    }
    const before = bySeq.get(seq - 1);
    if (before && before.record.hash !== prev) {
      problems.push({
        kind: 'broken-chain',
        line: e.line,
        seq,
        message: `its prev does not match the hash of seq ${seq - 1} (line ${before.line}): that record was replaced or rehashed`,
      });
    }
  }
}
