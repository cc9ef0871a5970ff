import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import { writeTree } from '../support/harness.js';

/**
 * Temp directories holding small projects for the skills, codemod and
 * baseline tests, removed after the file's tests. With `nodeModules`, the
 * repository's node_modules is linked in, so tsc, vitest and typescript's
 * types resolve as in a real project.
 */
export function tempProjects(
  prefix: string,
): (files: Record<string, string>, options?: { nodeModules?: boolean }) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return (files, options = {}) => {
    const dir = mkdtempSync(join(tmpdir(), `swarm-${prefix}-`));
    dirs.push(dir);
    writeTree(dir, files);
    if (options.nodeModules) symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
    return dir;
  };
}
