import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { IngestPathError } from './errors.js';

/** Directories never ingested when walking (generated, vendored or private). */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.git',
  'node_modules',
  '.swarm',
  'dist',
  '.hg',
  '.svn',
]);

/** Files above this size are read and chunked as a stream, in pieces of `STREAM_PIECE` bytes. */
export const STREAM_THRESHOLD = 8 << 20;
export const STREAM_PIECE = 1 << 20;
const SNIFF = 8192;

export interface FoundFile {
  abs: string;
  /** Relative to the store root, `/`-separated. */
  rel: string;
  size: number;
  mtimeMs: number;
}

/**
 * The files under the given paths (files or directories), each once, in a
 * stable order. Synchronous on purpose: a stat costs microseconds, an
 * awaited one tens of them, and ingest yields to searches between files
 * anyway. Symlinks are followed; a directory reached twice is walked once.
 */
export function* findFiles(paths: readonly string[], root: string): Generator<FoundFile> {
  const seen = new Set<string>();
  for (const path of paths) {
    const abs = resolve(path);
    const info = statSync(abs, { throwIfNoEntry: false });
    if (!info) throw new IngestPathError(path);
    if (info.isDirectory()) yield* walk(abs, root, seen);
    else if (info.isFile()) {
      const real = realpathSync(abs);
      if (!seen.has(real)) {
        seen.add(real);
        yield { abs, rel: relPath(root, abs), size: info.size, mtimeMs: info.mtimeMs };
      }
    }
  }
}

function* walk(dir: string, root: string, seen: Set<string>): Generator<FoundFile> {
  let real: string;
  let entries: Dirent[];
  try {
    real = realpathSync(dir);
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (seen.has(real)) return;
  seen.add(real);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const abs = join(dir, entry.name);
    const link = entry.isSymbolicLink();
    const info =
      entry.isDirectory() || entry.isFile() || link ? statSync(abs, { throwIfNoEntry: false }) : undefined;
    if (!info) continue;
    if (info.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* walk(abs, root, seen);
      continue;
    }
    if (!info.isFile()) continue;
    // only a link can name a file reached another way
    const identity = link ? realpathSync(abs) : abs;
    if (seen.has(identity)) continue;
    seen.add(identity);
    yield { abs, rel: relPath(root, abs), size: info.size, mtimeMs: info.mtimeMs };
  }
}

export function relPath(root: string, abs: string): string {
  const rel = relative(root, abs);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

export type ReadOutcome =
  | { type: 'text'; text: string; hash: string }
  | { type: 'stream'; hash: string }
  | { type: 'skip'; reason: string };

/**
 * Reads a file for ingest, or says why not: a NUL byte in the first 8 KiB
 * means binary; bytes that are not UTF-8 mean an encoding we cannot index
 * faithfully. A file past `STREAM_THRESHOLD` is only hashed and validated
 * here (in one streaming pass) and chunked later as a stream.
 */
export async function readSource(file: FoundFile): Promise<ReadOutcome> {
  if (file.size > STREAM_THRESHOLD) return inspectLarge(file.abs);
  let data: Buffer;
  try {
    data = readFileSync(file.abs);
  } catch (error) {
    return { type: 'skip', reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (data.subarray(0, SNIFF).includes(0)) return { type: 'skip', reason: 'binary (NUL byte)' };
  if (!isUtf8(data)) return { type: 'skip', reason: 'not valid UTF-8' };
  const hash = createHash('sha256').update(data).digest('hex').slice(0, 32);
  return { type: 'text', text: stripBom(data.toString('utf8')), hash };
}

async function inspectLarge(abs: string): Promise<ReadOutcome> {
  const handle = await open(abs, 'r').catch(() => undefined);
  if (!handle) return { type: 'skip', reason: 'unreadable' };
  try {
    const hasher = createHash('sha256');
    const piece = Buffer.allocUnsafe(STREAM_PIECE);
    let carry = Buffer.alloc(0);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(piece, 0, STREAM_PIECE, position);
      if (bytesRead === 0) break;
      const bytes = piece.subarray(0, bytesRead);
      if (position === 0 && bytes.subarray(0, SNIFF).includes(0))
        return { type: 'skip', reason: 'binary (NUL byte)' };
      hasher.update(bytes);
      position += bytesRead;
      const joined = carry.length > 0 ? Buffer.concat([carry, bytes]) : bytes;
      const cut = joined.length - incompleteTail(joined);
      if (!isUtf8(joined.subarray(0, cut))) return { type: 'skip', reason: 'not valid UTF-8' };
      carry = Buffer.from(joined.subarray(cut));
    }
    if (carry.length > 0) return { type: 'skip', reason: 'not valid UTF-8 (truncated at the end)' };
    return { type: 'stream', hash: hasher.digest('hex').slice(0, 32) };
  } finally {
    await handle.close();
  }
}

/** Bytes at the end that start a UTF-8 sequence the buffer does not finish (0 to 3). */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
