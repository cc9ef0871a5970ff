import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTree } from '../../../test/support/harness.js';
import { analyseRepo } from './analyse-repo.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('analysis cache: the import graph', () => {
  it('comes from the cache for an unchanged tree and is rebuilt when an import changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarm-cache-'));
    dirs.push(dir);
    writeTree(dir, {
      'src/a.ts': "import { b } from './b.js';\nexport const a = b + 1;\n",
      'src/b.ts': "import { a } from './a.js';\nexport const b = 1;\nexport const c = () => a;\n",
      'src/c.ts': 'export const c = 3;\n',
    });
    const cacheDir = join(dir, 'cache');
    const first = await analyseRepo(dir, { cacheDir });
    expect(first.stats.cachedImportGraph).toBe(false);
    expect(first.imports.cycles).toEqual([['src/a.ts', 'src/b.ts']]);
    const second = await analyseRepo(dir, { cacheDir });
    expect(second.stats.cachedImportGraph).toBe(true);
    expect(second.imports).toEqual(first.imports);
    writeTree(dir, { 'src/a.ts': "import { c } from './c.js';\nexport const a = c + 1;\n" });
    const third = await analyseRepo(dir, { cacheDir });
    expect(third.stats.cachedImportGraph).toBe(false);
    expect(third.imports.cycles).toEqual([]);
    expect(third.imports.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual([
      'src/a.ts->src/c.ts',
      'src/b.ts->src/a.ts',
    ]);
  });
});
