/**
 * The MCP tool index: search over 1,000 tool descriptions (the reference
 * servers' real tools, listed live over stdio, plus tools synthesised by
 * bench/mcp-tool-corpus.ts), scored on the 50 labelled needs of
 * bench/data/mcp-tool-needs.json. Swarm's index (memory: BM25, hashed
 * vectors, hybrid) against a baseline from the same run: a linear scan that
 * counts the need's keywords found as substrings of each tool's text.
 *
 *   npx tsx bench/mcp-tool-index.ts [--rounds 20]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverServers } from '../src/mcp/discovery.js';
import { type IndexedTool, indexEntry, McpPool, ToolIndex, toolDocument } from '../src/mcp/index.js';
import type { SearchMode } from '../src/memory/index.js';
import { BENCH_DIR, loadAverage, machine, ms, packageVersion, positiveInt } from './lib/measure.js';
import { synthesiseTools } from './mcp-tool-corpus.js';

const CORPUS_SIZE = 1_000;
const K = 3;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}
const rounds = positiveInt(option('rounds'), 20, 'rounds');

/** The reference servers' tools, from the servers themselves. */
async function referenceTools(dir: string): Promise<IndexedTool[]> {
  const server = (name: string, args: string[] = [], env: Record<string, string> = {}) => ({
    command: process.execPath,
    args: [join(BENCH_DIR, '..', 'node_modules', '@modelcontextprotocol', name, 'dist', 'index.js'), ...args],
    env,
  });
  const found = discoverServers({
    workspace: dir,
    section: {
      discover: false,
      servers: {
        everything: server('server-everything'),
        fs: server('server-filesystem', [dir]),
        memory: server('server-memory', [], { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') }),
      },
    },
  });
  const pool = await McpPool.start({ section: found.section, servers: found.servers, root: dir });
  try {
    const failed = pool.servers().filter((s) => s.state !== 'ready');
    if (failed.length)
      throw new Error(
        `reference servers did not start: ${failed.map((s) => `${s.name}: ${s.error}`).join('; ')}`,
      );
    return pool.tools().map(indexEntry);
  } finally {
    await pool.close();
  }
}

const STOP = new Set(
  'a an the and or of to in on for from with my our me i is are be this that what which who how do does it its at by as into all any can'.split(
    ' ',
  ),
);
const keywords = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP.has(w));

/** The baseline: score every tool by how many of the need's keywords occur in its text; best first. */
function linearScan(corpus: { name: string; text: string }[], need: string, k: number): string[] {
  const words = keywords(need);
  const scored: { name: string; score: number; order: number }[] = [];
  corpus.forEach((tool, order) => {
    let score = 0;
    for (const w of words) if (tool.text.includes(w)) score++;
    if (score > 0) scored.push({ name: tool.name, score, order });
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, k).map((s) => s.name);
}

interface MethodResult {
  method: string;
  top1: number;
  top3: number;
  p50Ms: number;
  p95Ms: number;
  misses: { need: string; expected: string; got: string[] }[];
}

async function measure(
  method: string,
  search: (need: string) => Promise<string[]> | string[],
  needs: { need: string; tool: string }[],
): Promise<MethodResult> {
  let top1 = 0;
  let top3 = 0;
  const misses: MethodResult['misses'] = [];
  for (const { need, tool } of needs) {
    const got = await search(need);
    if (got[0] === tool) top1++;
    if (got.slice(0, K).includes(tool)) top3++;
    else misses.push({ need, expected: tool, got });
  }
  const times: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    for (const { need } of needs) {
      const t0 = performance.now();
      await search(need);
      if (round > 0) times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return {
    method,
    top1: top1 / needs.length,
    top3: top3 / needs.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    misses,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'swarm-bench-tool-index-'));
try {
  const real = await referenceTools(dir);
  const corpus = [...real, ...synthesiseTools(CORPUS_SIZE - real.length)];
  const names = new Set(corpus.map((t) => t.name));
  if (names.size !== CORPUS_SIZE)
    throw new Error(`corpus has ${names.size} distinct tools, expected ${CORPUS_SIZE}`);
  const { needs } = JSON.parse(readFileSync(join(BENCH_DIR, 'data', 'mcp-tool-needs.json'), 'utf8')) as {
    needs: { need: string; tool: string }[];
  };
  const unknown = needs.filter((n) => !names.has(n.tool));
  if (unknown.length)
    throw new Error(`labels name tools not in the corpus: ${unknown.map((n) => n.tool).join(', ')}`);

  const index = await ToolIndex.open(join(dir, 'index'));
  const built = performance.now();
  await index.update(corpus);
  const buildMs = performance.now() - built;
  // The baseline reads the same text the index is built from.
  const scanCorpus = corpus.map((t) => ({ name: t.name, text: toolDocument(t).toLowerCase() }));

  const results: MethodResult[] = [];
  results.push(
    await measure('baseline: linear keyword scan', (need) => linearScan(scanCorpus, need, K), needs),
  );
  for (const mode of ['hybrid', 'bm25', 'vector'] as SearchMode[]) {
    results.push(
      await measure(
        `Swarm tool index (${mode})`,
        async (need) => (await index.search(need, K, mode)).map((m) => m.name),
        needs,
      ),
    );
  }
  await index.close();

  const baseline = results[0]!;
  const lines = [
    `Tool index over ${CORPUS_SIZE} tools (${real.length} real from the reference servers, ${CORPUS_SIZE - real.length} synthesised), ${needs.length} labelled needs, ${rounds} timed rounds; index built in ${ms(buildMs, 0)} ms`,
    '',
    '| method | top-1 | top-3 | p50 ms | p95 ms | p50 ÷ baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.method} | ${(r.top1 * 100).toFixed(0)}% | ${(r.top3 * 100).toFixed(0)}% | ${ms(r.p50Ms)} | ${ms(r.p95Ms)} | ${(r.p50Ms / baseline.p50Ms).toFixed(2)}× |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n\nMissed by bm25, the index's default (not in top 3):\n`);
  for (const miss of results.find((r) => r.method.includes('(bm25)'))!.misses)
    process.stdout.write(`  "${miss.need}" → ${miss.expected}; got ${miss.got.join(', ')}\n`);
  writeFileSync(
    join(BENCH_DIR, 'results', 'mcp-tool-index.json'),
    `${JSON.stringify(
      {
        command: `npx tsx bench/mcp-tool-index.ts --rounds ${rounds}`,
        date: new Date().toISOString(),
        machine: machine(),
        loadAverage: loadAverage(),
        versions: {
          sdk: packageVersion('@modelcontextprotocol/sdk'),
          everything: packageVersion('@modelcontextprotocol/server-everything'),
          filesystem: packageVersion('@modelcontextprotocol/server-filesystem'),
          memory: packageVersion('@modelcontextprotocol/server-memory'),
        },
        corpus: { tools: CORPUS_SIZE, real: real.length, synthesised: CORPUS_SIZE - real.length },
        needs: needs.length,
        buildMs,
        results,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
