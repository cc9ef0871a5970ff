import { describe, expect, it } from 'vitest';
import type { Definition } from './facts.js';
import { repoMap } from './repo-map.js';

const def = (name: string, line: number, signature = `export function ${name}() {`): Definition => ({
  name,
  kind: 'function',
  line,
  endLine: line + 2,
  exported: true,
  signature,
});

// core.ts defines what everyone uses; util.ts is used by one file; leaf.ts by nobody.
const files: Array<{ path: string; definitions: Definition[]; references: Record<string, number> }> = [
  { path: 'src/core.ts', definitions: [def('createSession', 1), def('closeSession', 10)], references: {} },
  { path: 'src/util.ts', definitions: [def('formatRecord', 3)], references: { createSession: 1 } },
  { path: 'src/a.ts', definitions: [def('runA', 1)], references: { createSession: 4, closeSession: 1 } },
  { path: 'src/b.ts', definitions: [def('runB', 1)], references: { createSession: 2, formatRecord: 1 } },
  { path: 'src/leaf.ts', definitions: [def('unusedThing', 1)], references: { createSession: 1 } },
];

describe('repoMap', () => {
  it('ranks the file whose definitions everyone uses first and shows its most used definitions', () => {
    const map = repoMap(files, { budgetTokens: 1000 });
    expect(map.ranking[0]?.path).toBe('src/core.ts');
    expect(map.text).toContain(
      'src/core.ts:\n│export function createSession() {\n⋮\n│export function closeSession() {',
    );
    expect(map.shown).toBe(6);
  });

  it('fits the budget by dropping the least used definitions first', () => {
    const small = repoMap(files, { budgetTokens: 20 });
    expect(small.tokens).toBeLessThanOrEqual(20);
    expect(small.shown).toBeGreaterThan(0);
    expect(small.text).toContain('createSession');
    expect(small.text).not.toContain('unusedThing');
    expect(repoMap(files, { budgetTokens: 1 }).text).toBe('');
  });

  it('personalises towards the focus files and leaves them out of the map', () => {
    const map = repoMap(files, { focusFiles: ['src/b.ts'], budgetTokens: 1000 });
    expect(map.text).not.toContain('src/b.ts');
    const rank = Object.fromEntries(map.ranking.map((r) => [r.path, r.rank]));
    // b.ts uses formatRecord: with b in focus, util.ts overtakes a.ts, which nothing uses.
    expect(rank['src/util.ts']!).toBeGreaterThan(rank['src/a.ts']!);
  });
});
