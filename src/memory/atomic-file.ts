import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file so that readers see either the old content or the whole new
 * one, even if the process dies or the machine loses power mid-write: the
 * data goes to a temporary file, is flushed to disk, renamed over the
 * target (atomic on POSIX), and the directory entry is flushed too.
 */
export function writeFileAtomic(path: string, parts: readonly Uint8Array[]): number {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w');
  let bytes = 0;
  try {
    for (const part of parts) bytes += writeAll(fd, part);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  syncDirectory(dirname(path));
  return bytes;
}

function writeAll(fd: number, data: Uint8Array): number {
  let written = 0;
  while (written < data.byteLength) written += writeSync(fd, data, written, data.byteLength - written);
  return written;
}

export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
