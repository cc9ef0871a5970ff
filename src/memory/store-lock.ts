import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../core/process-alive.js';
import { MemoryLockedError } from './errors.js';

/**
 * One writer per store: a `LOCK` file holding the writer's pid, created
 * exclusively. A lock left by a process that no longer exists (killed) is
 * taken over.
 */
export class StoreLock {
  private constructor(private readonly file: string) {}

  static acquire(dir: string): StoreLock {
    const file = join(dir, 'LOCK');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new StoreLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number.parseInt(readLock(file), 10);
        if (Number.isInteger(holder) && processAlive(holder)) {
          throw new MemoryLockedError(dir, holder);
        }
        rmSync(file, { force: true });
      }
    }
    throw new MemoryLockedError(dir, Number.parseInt(readLock(file), 10));
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}

function readLock(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
