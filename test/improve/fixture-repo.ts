import { mkdir, mkdtemp, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes `files` (relative path → content) under a new temporary directory and returns its real path. */
export async function makeRepo(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'swarm-improve-')));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/**
 * A function of about 70 tokens over 9 lines: written twice under different
 * names, it is a clone pair for a detector with jscpd's defaults (50 tokens,
 * 5 lines), the names aside.
 */
export function tsBlock(name: string): string {
  return [
    `export function ${name}(orders: Array<{ price: number; qty: number }>, discount: number): number {`,
    '  let subtotal = 0;',
    '  for (const order of orders) {',
    '    if (order.qty <= 0) continue;',
    '    subtotal += order.price * order.qty;',
    '  }',
    '  const reduced = subtotal - subtotal * Math.min(discount, 0.5);',
    '  return Math.round(reduced * 100) / 100;',
    '}',
  ].join('\n');
}

/** `count` small exported functions: a file of about `count * 4` lines. */
export function manyFunctions(prefix: string, count: number): string {
  return Array.from(
    { length: count },
    (_, k) =>
      `export function ${prefix}${k}(value: number): number {\n  return value * ${k} + ${k % 7};\n}\n`,
  ).join('\n');
}
