import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packContext } from './context-packer.js';
import { memorySearch } from './memory-search-tool.js';
import { MemoryStore } from './memory-store.js';
import { exactTokenCounter } from './token-counter.js';

let root: string;
let store: MemoryStore;

const fn = (name: string, topic: string) =>
  `export function ${name}(input: string): string {\n  // ${topic}\n  return input.replace(/${topic}/g, '${topic}!');\n}\n`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'swarm-pack-'));
  mkdirSync(join(root, 'src'));
  // one file of many small functions about caching, cut into several adjacent chunks
  const cache = Array.from({ length: 12 }, (_, i) => fn(`cacheStep${i}`, `cache eviction policy step ${i}`));
  writeFileSync(join(root, 'src/cache.ts'), cache.join('\n'));
  // near-copies of one text in several files, and one different file that also matters
  for (let i = 0; i < 4; i++) {
    writeFileSync(
      join(root, `src/copy${i}.md`),
      `# Eviction\n\nLRU cache eviction drops the least recently used entry ${i}.\n`,
    );
  }
  writeFileSync(
    join(root, 'src/ttl.md'),
    '# Expiry\n\nCache entries also expire after their TTL, eviction or not.\n',
  );
  store = await MemoryStore.open({
    dir: join(root, '.swarm/memory'),
    root,
    background: false,
    chunking: { maxTokens: 48, overlapTokens: 8 },
  });
  await store.ingest([join(root, 'src')]);
});

afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('packContext', () => {
  it('stays within the token budget, counted exactly', async () => {
    const count = await exactTokenCounter();
    for (const budget of [120, 300, 900]) {
      const packed = await packContext(store, { query: 'cache eviction', budgetTokens: budget });
      expect(packed.tokens).toBeLessThanOrEqual(budget);
      expect(count(packed.text)).toBe(packed.tokens);
      expect(packed.blocks.length).toBeGreaterThan(0);
    }
  });

  it('merges adjacent chunks of one file into one block, in source order', async () => {
    const packed = await packContext(store, {
      query: 'cacheStep eviction policy step',
      budgetTokens: 2000,
      filter: { path: 'src/cache.ts' },
    });
    expect(packed.blocks).toHaveLength(1);
    const block = packed.blocks[0]!;
    expect(block.chunks.length).toBeGreaterThan(1);
    const steps = [...block.text.matchAll(/cacheStep(\d+)/g)].map((m) => Number(m[1]));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
  });

  it('prefers variety: near-copies do not crowd out another relevant file', async () => {
    const diverse = await packContext(store, {
      query: 'cache eviction entries expire',
      budgetTokens: 140,
      filter: { kind: 'markdown' },
      diversity: 0.7,
    });
    expect(diverse.blocks.map((b) => b.path)).toContain('src/ttl.md');
    expect(diverse.dependencies.every((d) => /^src\/.+#[0-9a-f]{32}$/.test(d))).toBe(true);
  });

  it('backs the memory_search tool, scoped to a tenant and validated', async () => {
    const out = await memorySearch(store, { query: 'LRU eviction', budgetTokens: 400 });
    expect(out.text).toMatch(/^### src\/copy\d\.md:/);
    const other = await memorySearch(store, { query: 'LRU eviction' }, { tenant: 'someone-else' });
    expect(other.text).toMatch(/^No passages found/);
    await expect(memorySearch(store, { query: '' })).rejects.toThrow();
  });
});
