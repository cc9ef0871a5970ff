import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PidLock } from './pid-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const lockFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-lock-'));
  dirs.push(dir);
  return join(dir, 'LOCK');
};
const busy = (pid: number) => new Error(`held by ${pid}`);

describe('PidLock', () => {
  it('lets one holder in, refuses a second while it lives, and frees on release', () => {
    const file = lockFile();
    const lock = PidLock.acquire(file, busy);
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    expect(() => PidLock.acquire(file, busy)).toThrow(`held by ${process.pid}`);
    lock.release();
    PidLock.acquire(file, busy).release();
  });

  it('takes over a lock left by a process that has exited', () => {
    const file = lockFile();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(file, String(gone));
    PidLock.acquire(file, busy).release();
  });
});
