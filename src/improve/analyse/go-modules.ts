import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';

/**
 * The Go modules that own the given `.go` files: the nearest `go.mod` above
 * each file's directory, up to the root, with the module path it declares.
 */
export async function findGoModules(
  root: string,
  goFiles: readonly string[],
): Promise<Array<{ dir: string; module: string }>> {
  const checked = new Map<string, string | undefined>();
  const modules = new Map<string, string>();
  for (const file of goFiles) {
    for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
      if (!checked.has(dir)) checked.set(dir, await modulePath(join(root, dir, 'go.mod')));
      const module = checked.get(dir);
      if (module !== undefined) {
        modules.set(dir, module);
        break;
      }
      if (dir === '.') break;
    }
  }
  // Longest module paths first, so a nested module wins over the one around it.
  return [...modules]
    .map(([dir, module]) => ({ dir, module }))
    .sort((a, b) => b.module.length - a.module.length);
}

async function modulePath(goMod: string): Promise<string | undefined> {
  try {
    return /^module\s+(\S+)/m.exec(await readFile(goMod, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}
