import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { processAlive } from './process-alive.js';

/**
 * One writer at a time: a lock file holding the writer's pid, created
 * exclusively. A lock left by a process that no longer runs (killed) is
 * taken over; one held by a live process fails with the caller's error.
 */
export class PidLock {
  private constructor(private readonly file: string) {}

  static acquire(file: string, held: (pid: number) => Error): PidLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new PidLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number.parseInt(readLock(file), 10);
        if (Number.isInteger(holder) && processAlive(holder)) throw held(holder);
        rmSync(file, { force: true });
      }
    }
    throw held(Number.parseInt(readLock(file), 10));
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
