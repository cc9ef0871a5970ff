import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Walking stops here: a package this large is heavy whatever the exact figure. */
const MAX_FILES = 20_000;
const CODE = /\.(c?js|mjs|json|node|wasm)$/;

/**
 * The bytes of code an installed npm package ships (JavaScript, JSON,
 * native and WASM modules, its own dependencies nested under it included;
 * type declarations, maps and docs left out): a measure of what importing it
 * can cost at start-up. Undefined when it is not installed under the root.
 */
export async function installedCodeBytes(root: string, name: string): Promise<number | undefined> {
  const dir = join(root, 'node_modules', ...name.split('/'));
  let total = 0;
  let files = 0;
  let found = false;
  const stack = [dir];
  while (stack.length > 0 && files < MAX_FILES) {
    const current = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      continue;
    }
    found = true;
    const sizes = await Promise.all(
      entries.map(async (entry) => {
        const full = join(current, entry.name);
        if (entry.isDirectory()) {
          stack.push(full);
          return 0;
        }
        if (!entry.isFile() || !CODE.test(entry.name) || entry.name.endsWith('.d.json')) return 0;
        files++;
        return (await stat(full)).size;
      }),
    );
    for (const size of sizes) total += size;
  }
  return found ? total : undefined;
}
