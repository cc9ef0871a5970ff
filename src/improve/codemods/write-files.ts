import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Writes a set of files under `dir`, all or nothing: if one write fails, the
 * files written so far get their old content back (or are removed if they
 * are new), then the error is rethrown.
 */
export async function writeFilesAtomically(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const undo: (() => Promise<void>)[] = [];
  try {
    for (const [path, text] of files) {
      const full = join(dir, path);
      const before = await readFile(full, 'utf8').catch(() => undefined);
      const createdDir = await mkdir(dirname(full), { recursive: true });
      undo.push(async () => {
        if (before === undefined) await rm(full, { force: true });
        else await writeFile(full, before);
        if (createdDir) await rm(createdDir, { recursive: true, force: true });
      });
      await writeFile(full, text);
    }
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  }
}
