import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuditFileNotFoundError,
  AuditLog,
  AuditLogCorruptError,
  AuditLogLockedError,
  AuditLogOpenError,
  GENESIS,
  openProcessAuditLog,
  recordHash,
  verifyAuditLog,
} from '../../src/observe/index.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-audit-'));
  file = join(dir, 'audit.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeLog(n: number): string[] {
  const log = AuditLog.open(file);
  for (let i = 1; i <= n; i++)
    log.append({ kind: 'delegation', runId: 'run_1', actor: 'lead', data: { to: `agent${i}`, i } });
  log.close();
  return readFileSync(file, 'utf8').split('\n').slice(0, -1);
}

const kinds = (f: string) => verifyAuditLog(f).problems.map((p) => [p.kind, p.line, p.seq]);

describe('audit log', () => {
  it('chains records by SHA-256 from the genesis hash and verifies an intact log', () => {
    const lines = writeLog(5);
    const records = lines.map((l) => JSON.parse(l));
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(records[0].prev).toBe(GENESIS);
    for (let i = 1; i < 5; i++) expect(records[i].prev).toBe(records[i - 1].hash);
    for (const r of records) expect(recordHash(r)).toBe(r.hash);
    const report = verifyAuditLog(file);
    expect(report).toMatchObject({
      ok: true,
      records: 5,
      problems: [],
      head: { seq: 5, hash: records[4].hash },
    });
  });

  it('continues the chain of an existing log after a restart, never rewriting it', () => {
    const before = writeLog(2).join('\n');
    const log = AuditLog.open(file);
    const third = log.append({ kind: 'tool.call', runId: 'run_2', actor: 'coder', data: {} });
    log.close();
    expect(third.seq).toBe(3);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(`${before}\n`)).toBe(true);
    expect(verifyAuditLog(file).ok).toBe(true);
  });

  it('serialises concurrent appenders in one process into one chain', async () => {
    const a = AuditLog.open(file);
    const b = AuditLog.open(file);
    expect(b).toBe(a);
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i % 7));
        (i % 2 ? a : b).append({ kind: 'delegation', runId: `run_${i}`, actor: 'x', data: { i } });
      }),
    );
    a.close();
    expect(existsSync(`${file}.lock`)).toBe(true);
    b.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(verifyAuditLog(file)).toMatchObject({ ok: true, records: 50 });
  });

  it('finds one changed byte and names its line and seq', () => {
    const lines = writeLog(5);
    lines[2] = lines[2]!.replace('"agent3"', '"agent4"');
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(kinds(file)).toEqual([['altered', 3, 3]]);
    expect(verifyAuditLog(file).problems[0]!.message).toMatch(/seq 3 \(delegation\) was changed/);
  });

  it('finds a record rewritten with a fresh hash through the chain', () => {
    const lines = writeLog(4);
    const forged = JSON.parse(lines[1]!);
    forged.data.to = 'mallory';
    forged.hash = recordHash(forged);
    lines[1] = JSON.stringify(forged);
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(kinds(file)).toEqual([['broken-chain', 3, 3]]);
  });

  it('finds one removed line', () => {
    const lines = writeLog(5);
    lines.splice(2, 1);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const report = verifyAuditLog(file);
    expect(report.ok).toBe(false);
    expect(kinds(file)).toEqual([['removed', 3, 3]]);
    expect(report.problems[0]!.message).toBe('seq 3 is missing (before line 3): records were removed');
  });

  it('finds the first records removed', () => {
    const lines = writeLog(4);
    writeFileSync(file, `${lines.slice(2).join('\n')}\n`);
    expect(verifyAuditLog(file).problems[0]!.message).toBe(
      'seq 1 to 2 are missing (before line 1): records were removed',
    );
  });

  it('finds two swapped lines', () => {
    const lines = writeLog(5);
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const report = verifyAuditLog(file);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.line, p.seq])).toEqual([['reordered', 4, 3]]);
    expect(report.problems[0]!.message).toBe('seq 3 comes after seq 4 (line 3): records were moved');
  });

  it('finds a truncated last line, and refuses to append after it', () => {
    const lines = writeLog(3);
    writeFileSync(file, `${lines.join('\n')}\n${lines[2]!.slice(0, 40)}`);
    expect(kinds(file)).toEqual([['truncated', 4, undefined]]);
    writeFileSync(file, `${lines.join('\n')}`);
    expect(kinds(file)).toEqual([['truncated', 3, 3]]);
    expect(() => AuditLog.open(file)).toThrow(AuditLogCorruptError);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('reports an empty file and a missing one', () => {
    writeFileSync(file, '');
    expect(verifyAuditLog(file)).toMatchObject({
      ok: false,
      records: 0,
      problems: [{ kind: 'empty', line: 1 }],
    });
    expect(() => verifyAuditLog(join(dir, 'nope.jsonl'))).toThrow(AuditFileNotFoundError);
  });

  it('reports a line that is not a record', () => {
    const lines = writeLog(2);
    writeFileSync(file, `${lines[0]}\n{"seq":2,"hello":1}\n${lines[1]}\n`);
    expect(kinds(file)).toEqual([['malformed', 2, 2]]);
  });

  it('gives a second process its own file while the first holds the lock, and takes over a stale lock', () => {
    writeFileSync(`${file}.lock`, `${hostname()}:1`);
    // pid 1 is alive (init), so the lock is held
    expect(() => AuditLog.open(file)).toThrow(AuditLogLockedError);
    const own = openProcessAuditLog(file);
    expect(own.file).toBe(join(dir, `audit.${hostname()}-${process.pid}.jsonl`));
    own.append({ kind: 'delegation', runId: 'r', actor: 'a', data: {} });
    own.close();
    expect(verifyAuditLog(own.file).ok).toBe(true);
    writeFileSync(`${file}.lock`, `${hostname()}:999999999`);
    const taken = AuditLog.open(file);
    expect(taken.file).toBe(file);
    taken.close();
  });

  it('explains an audit log it cannot create', () => {
    const blocked = join(dir, 'not-a-dir');
    writeFileSync(blocked, 'a file where the directory should be');
    expect(() => AuditLog.open(join(blocked, 'audit.jsonl'))).toThrow(AuditLogOpenError);
    expect(() => AuditLog.open(join(blocked, 'audit.jsonl'))).toThrow(
      /cannot open the audit log .*not-a-dir/,
    );
  });
});
