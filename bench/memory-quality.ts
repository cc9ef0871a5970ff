/**
 * Retrieval quality on Cranfield (1,400 aeronautics abstracts, 225 queries,
 * graded judgements): nDCG@10 and recall@100 for Swarm's BM25, hashed
 * vectors and hybrid (RRF) search, through the real store (ingest, segments
 * on disk, search), beside a plain BM25 computed in the same run the way the
 * reference figure was (k1 1.2, b 0.75, a regex tokenizer, stop words out,
 * plurals stripped; reference nDCG@10 0.354, recall@100 0.736).
 *
 * Fixture quirks handled: CRLF line ends; qrels name queries by ordinal
 * (1..225), not by their `.I` numbers; code -1 is not relevant; gain = 5 - code.
 *
 *   npx tsx bench/memory-quality.ts [--dims 2048] [--out bench/results/memory-quality.json]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryStore, type SearchMode } from '../src/memory/index.js';
import { STOP_WORDS } from '../src/memory/stop-words.js';
import { BENCH_DIR, loadAverage, machine } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    dims: { type: 'string', default: '2048' },
    out: { type: 'string', default: join(BENCH_DIR, 'results', 'memory-quality.json') },
  },
});
const dims = Number(values.dims);
const FIXTURES = resolve(BENCH_DIR, '..', '..', 'shared', 'fixtures', 'cranfield');
const REFERENCE = { ndcg10: 0.354, recall100: 0.736 };

interface Doc {
  id: number;
  text: string;
}

function loadCranfield() {
  const raw = readFileSync(join(FIXTURES, 'cran.all.1400'), 'utf8').replace(/\r\n?/g, '\n');
  const docs: Doc[] = [];
  for (const record of raw.split(/^\.I /m).slice(1)) {
    const id = Number(record.slice(0, record.indexOf('\n')));
    const fields: Record<string, string> = {};
    let field = '';
    for (const line of record.split('\n').slice(1)) {
      const marker = /^\.([TABW])\s*$/.exec(line);
      if (marker) field = marker[1]!;
      else if (field) fields[field] = `${fields[field] ?? ''}${line}\n`;
    }
    docs.push({ id, text: `${(fields.T ?? '').trim()}\n${(fields.W ?? '').trim()}` });
  }
  const queries = readFileSync(join(FIXTURES, 'cran.qry'), 'utf8')
    .replace(/\r\n?/g, '\n')
    .split(/^\.I /m)
    .slice(1)
    .map((record) => (record.split(/^\.W\s*$/m)[1] ?? '').trim());
  const judgements = new Map<number, Map<number, number>>();
  for (const line of readFileSync(join(FIXTURES, 'cranqrel'), 'utf8').split(/\r?\n/)) {
    const [query, doc, code] = line.trim().split(/\s+/).map(Number);
    if (!query || !doc || code === undefined || code < 1) continue;
    const forQuery = judgements.get(query) ?? new Map<number, number>();
    judgements.set(query, forQuery);
    forQuery.set(doc, 5 - code);
  }
  return { docs, queries, judgements };
}

/** nDCG@10 (linear gain, log2 discount) and recall@100 of ranked doc ids, averaged over judged queries. */
function evaluate(
  queries: string[],
  judgements: Map<number, Map<number, number>>,
  ranked: (query: string, index: number) => number[],
) {
  let ndcg = 0;
  let recall = 0;
  let judged = 0;
  queries.forEach((query, index) => {
    const relevant = judgements.get(index + 1);
    if (!relevant) return;
    judged++;
    const ids = ranked(query, index);
    let dcg = 0;
    ids.slice(0, 10).forEach((id, rank) => {
      dcg += (relevant.get(id) ?? 0) / Math.log2(rank + 2);
    });
    let ideal = 0;
    [...relevant.values()]
      .sort((a, b) => b - a)
      .slice(0, 10)
      .forEach((gain, rank) => {
        ideal += gain / Math.log2(rank + 2);
      });
    ndcg += ideal > 0 ? dcg / ideal : 0;
    recall += ids.slice(0, 100).filter((id) => relevant.has(id)).length / relevant.size;
  });
  return { ndcg10: ndcg / judged, recall100: recall / judged, queries: judged };
}

/** The reference: a plain in-memory BM25 with the simplest tokenizer that fits its description. */
function plainBm25(docs: Doc[]) {
  const stop = new Set(STOP_WORDS);
  const tokenize = (text: string) =>
    (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
      .filter((w) => !stop.has(w))
      .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
  const postings = new Map<string, [number, number][]>();
  const lengths = docs.map((doc, i) => {
    const terms = tokenize(doc.text);
    const tf = new Map<string, number>();
    for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
    for (const [term, count] of tf) postings.set(term, [...(postings.get(term) ?? []), [i, count]]);
    return terms.length;
  });
  const avg = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  return (query: string) => {
    const scores = new Map<number, number>();
    for (const term of tokenize(query)) {
      const list = postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (docs.length - list.length + 0.5) / (list.length + 0.5));
      for (const [doc, tf] of list) {
        const norm = tf + 1.2 * (1 - 0.75 + (0.75 * lengths[doc]!) / avg);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * 2.2) / norm);
      }
    }
    return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([doc]) => docs[doc]!.id);
  };
}

async function main() {
  const started = Date.now();
  const load = loadAverage();
  const { docs, queries, judgements } = loadCranfield();
  const root = mkdtempSync(join(tmpdir(), 'swarm-bench-quality-'));
  const store = await MemoryStore.open({
    dir: join(root, 'memory'),
    root,
    embedder: { type: 'hashed', dims },
    background: false,
  });
  try {
    const ingest = await store.ingestDocuments(
      docs.map((doc) => ({ path: `cran/d${doc.id}`, text: doc.text, kind: 'text' })),
    );
    const idOf = (path: string) => Number(path.slice('cran/d'.length));
    const rows: Record<string, ReturnType<typeof evaluate>> = {};
    const baseline = plainBm25(docs);
    rows['plain BM25 (baseline, same run)'] = evaluate(queries, judgements, (q) => baseline(q));
    for (const mode of ['bm25', 'vector', 'hybrid'] as SearchMode[]) {
      const ranked = new Map<number, number[]>();
      for (const [i, query] of queries.entries()) {
        const result = await store.search({ query, k: 100, mode, dedupe: 'off' });
        // a long abstract may be two chunks: a document ranks where its best chunk does
        ranked.set(i, [...new Set(result.hits.map((hit) => idOf(hit.path)))]);
      }
      rows[`swarm ${mode}`] = evaluate(queries, judgements, (_q, i) => ranked.get(i) ?? []);
    }
    const result = {
      benchmark: 'memory-quality',
      date: new Date().toISOString(),
      command: `npx tsx bench/memory-quality.ts --dims ${dims}`,
      machine: machine(),
      loadAverage: { before: load, after: loadAverage() },
      corpus: { documents: docs.length, queries: queries.length, chunks: ingest.chunks, dims },
      reference: REFERENCE,
      results: rows,
      durationS: Math.round((Date.now() - started) / 1000),
    };
    mkdirSync(dirname(values.out!), { recursive: true });
    writeFileSync(values.out!, `${JSON.stringify(result, null, 2)}\n`);
    const base = rows['plain BM25 (baseline, same run)']!;
    console.log(`| method | nDCG@10 | recall@100 | nDCG@10 vs plain BM25 |\n| --- | ---: | ---: | ---: |`);
    for (const [name, row] of Object.entries(rows)) {
      console.log(
        `| ${name} | ${row.ndcg10.toFixed(3)} | ${row.recall100.toFixed(3)} | ${(row.ndcg10 / base.ndcg10).toFixed(3)} |`,
      );
    }
    console.log(`\n${ingest.chunks} chunks from ${docs.length} documents, ${dims} dims; wrote ${values.out}`);
  } finally {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
