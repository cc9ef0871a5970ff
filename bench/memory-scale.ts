/**
 * Memory at scale: ingest throughput, time until the first query is
 * answered, query latency (p50, p99) per search path, recall@10 against
 * exact search on sampled queries, and bytes per chunk in memory, on
 * corpora generated from this repository and node_modules (see
 * memory-corpus.ts) at the sizes asked for. With --side-by-side, the same
 * vectors go to hnswlib-node (build, then search) and sqlite-vec (exact).
 * With --hnsw, segments of at least --hnsw-min-chunks get a usearch graph in
 * the background and its path is measured too.
 *
 *   npx tsx --expose-gc bench/memory-scale.ts [--tokens 1e6,1e7] [--queries 1000]
 *     [--side-by-side] [--side-by-side-max 1e7] [--hnsw] [--hnsw-min-chunks 20000] [--by-kind 2e6]
 *     [--out bench/results/memory-scale.json]
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RRF_K } from '../src/memory/fusion.js';
import { MemoryStore, type SearchMode, type SearchRequestInput } from '../src/memory/index.js';
import { BENCH_DIR, loadAverage, machine, packageVersion } from './lib/measure.js';
import { type BaselineResult, hnswlibBaseline, sqliteVecBaseline } from './memory-baselines.js';
import { type CorpusKind, generateCorpus } from './memory-corpus.js';
import { exactNeighbours, percentile, recallAt, sampleQueries } from './memory-exact.js';

const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '1e6,1e7' },
    queries: { type: 'string', default: '1000' },
    'side-by-side': { type: 'boolean', default: false },
    /** hnswlib needs minutes per 100k vectors of 2,048 dims: sizes above this skip the side by side. */
    'side-by-side-max': { type: 'string', default: '1e7' },
    hnsw: { type: 'boolean', default: false },
    'hnsw-min-chunks': { type: 'string', default: '20000' },
    out: { type: 'string', default: join(BENCH_DIR, 'results', 'memory-scale.json') },
    keep: { type: 'boolean', default: false },
    /** Also ingest code alone and Markdown alone, this many tokens each, for throughput by kind. */
    'by-kind': { type: 'string' },
  },
});
const REPO = resolve(BENCH_DIR, '..');
const sizes = values.tokens!.split(',').map(Number);
const queryCount = Number(values.queries);
const gc = (globalThis as { gc?: () => void }).gc;

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else out.push(path);
  }
  return out;
}

/** Resident memory after a full collection (when run with --expose-gc), and what of it is JS heap. */
function memory() {
  gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

async function latency(store: MemoryStore, queries: string[], request: Omit<SearchRequestInput, 'query'>) {
  for (const query of queries.slice(0, 20)) await store.search({ query, ...request });
  const times: number[] = [];
  const ids: string[][] = [];
  for (const query of queries) {
    const t = performance.now();
    const result = await store.search({ query, ...request });
    times.push(performance.now() - t);
    ids.push(result.hits.map((hit) => hit.id));
  }
  times.sort((a, b) => a - b);
  return { p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), ids };
}

function fuse(lists: string[][], limit: number): string[] {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, r) => {
      scores.set(id, (scores.get(id) ?? 0) + 1 / (RRF_K + r + 1));
    });
  }
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([id]) => id);
}

async function measure(target: number) {
  const base = mkdtempSync(join(tmpdir(), 'swarm-bench-scale-'));
  const dir = join(base, 'memory');
  try {
    const corpus = generateCorpus(REPO, join(base, 'corpus'), target);
    const corpusFiles = files(corpus.dir);
    const writer = await MemoryStore.open({
      dir,
      root: base,
      background: true,
      hnswMinChunks: values.hnsw ? Number(values['hnsw-min-chunks']) : Number.MAX_SAFE_INTEGER,
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await writer.ingest([corpus.dir]);
    const ingestMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const t1 = performance.now();
    await writer.idle();
    const backgroundMs = performance.now() - t1;
    const written = writer.stats();
    await writer.close();

    const before = memory();
    const t2 = performance.now();
    const store = await MemoryStore.open({ dir, root: base, readOnly: true });
    const queries = sampleQueries(corpusFiles, queryCount);
    await store.search({ query: queries[0]!, k: 10 });
    const firstQueryMs = performance.now() - t2;
    const after = memory();
    const stats = store.stats();

    const paths: Record<string, Awaited<ReturnType<typeof latency>>> = {};
    for (const mode of ['bm25', 'vector', 'hybrid'] as SearchMode[]) {
      paths[mode] = await latency(store, queries, { mode, k: 10, dedupe: 'off' });
    }
    if (stats.hnswSegments > 0) {
      const vector = { mode: 'vector' as const, k: 10, dedupe: 'off' as const };
      paths['vector (scan only)'] = await latency(store, queries, { ...vector, index: 'scan' });
      paths['vector (graph only)'] = await latency(store, queries, { ...vector, index: 'graph' });
    }
    const vectors = await Promise.all(queries.map((q) => store.embedQuery(q)));
    const exact = exactNeighbours(store, vectors, 100);
    const bm25 = await latency(store, queries, { mode: 'bm25', k: 100, dedupe: 'off' });
    const recall: Record<string, number> = {};
    const mean = (f: (i: number) => number) => queries.reduce((sum, _q, i) => sum + f(i), 0) / queries.length;
    for (const path of Object.keys(paths).filter((p) => p.startsWith('vector'))) {
      recall[path] = mean((i) => recallAt(paths[path]!.ids[i]!, exact[i]!, 10));
    }
    recall.hybrid = mean((i) => {
      const truth = fuse([bm25.ids[i]!, exact[i]!.map((n) => n.id)], 10);
      return truth.length === 0
        ? 1
        : paths.hybrid!.ids[i]!.filter((id) => truth.includes(id)).length / truth.length;
    });
    recall.bm25 = 1;

    let hnswlib: BaselineResult | undefined;
    let sqliteVec: BaselineResult | undefined;
    if (values['side-by-side'] && target <= Number(values['side-by-side-max'])) {
      hnswlib = hnswlibBaseline(store, vectors, exact);
      sqliteVec = sqliteVecBaseline(store, vectors.slice(0, Math.min(200, vectors.length)));
    }
    await store.close();
    return {
      targetTokens: target,
      corpus: { files: corpus.files, bytes: corpus.bytes, tokens: corpus.tokens },
      ingest: {
        wallMs: ingestMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        tokensPerSecond: corpus.tokens / (ingestMs / 1000),
        tokensPerCpuSecond: corpus.tokens / ((cpu.user + cpu.system) / 1e6),
        chunks: report.chunks,
        backgroundMs,
        segmentsAfterIngest: written.segments,
      },
      store: {
        chunks: stats.chunks,
        segments: stats.segments,
        hnswSegments: stats.hnswSegments,
        diskBytes: stats.diskBytes,
        memoryBytes: stats.memoryBytes,
        bytesPerChunk: stats.memoryBytes / stats.chunks,
        rssBytes: after.rss,
        rssGrowthOnOpenBytes: after.rss - before.rss,
        heapBytes: after.heap,
      },
      firstQueryMs,
      latency: Object.fromEntries(
        Object.entries(paths).map(([k, v]) => [k, { p50Ms: v.p50Ms, p99Ms: v.p99Ms }]),
      ),
      recallAt10: recall,
      queries: queries.length,
      ...(hnswlib ? { hnswlib } : {}),
      ...(sqliteVec ? { sqliteVec } : {}),
    };
  } finally {
    if (!values.keep) rmSync(base, { recursive: true, force: true });
  }
}

/** Ingest throughput (wall and CPU) on a corpus of one kind: what tree-sitter costs shows in code. */
async function throughputOf(kind: CorpusKind, target: number) {
  const base = mkdtempSync(join(tmpdir(), `swarm-bench-${kind}-`));
  try {
    const corpus = generateCorpus(REPO, join(base, 'corpus'), target, kind);
    const store = await MemoryStore.open({ dir: join(base, 'memory'), root: base, background: false });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await store.ingest([corpus.dir]);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await store.close();
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return {
      kind,
      tokens: corpus.tokens,
      files: corpus.files,
      wallMs,
      cpuMs,
      tokensPerSecond: corpus.tokens / (wallMs / 1000),
      tokensPerCpuSecond: corpus.tokens / (cpuMs / 1000),
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

const started = Date.now();
const load = loadAverage();
const byKind = values['by-kind']
  ? [
      await throughputOf('prose', Number(values['by-kind'])),
      await throughputOf('code', Number(values['by-kind'])),
    ]
  : undefined;
if (byKind) console.log(JSON.stringify(byKind, null, 1));
const results = [];
for (const size of sizes) {
  const result = await measure(size);
  results.push(result);
  console.log(JSON.stringify(result, null, 1));
}
const output = {
  benchmark: 'memory-scale',
  date: new Date().toISOString(),
  command: `npx tsx --expose-gc bench/memory-scale.ts ${process.argv.slice(2).join(' ')}`.trim(),
  machine: machine(),
  loadAverage: { before: load, after: loadAverage() },
  versions: {
    usearch: packageVersion('usearch'),
    'hnswlib-node': packageVersion('hnswlib-node'),
    'sqlite-vec': packageVersion('sqlite-vec'),
  },
  durationS: Math.round((Date.now() - started) / 1000),
  ...(byKind ? { ingestByKind: byKind } : {}),
  results,
};
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, `${JSON.stringify(output, null, 2)}\n`);
console.log(`wrote ${values.out}`);
