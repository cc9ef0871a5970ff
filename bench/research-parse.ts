/**
 * Parse throughput of the research pipeline on arXiv's saved Atom feeds,
 * beside two baselines measured in the same run:
 *
 * - regex titles: `/<title>…<\/title>/g` over the same text: the least any
 *   extraction can do (one field, no entities, no structure, no checks);
 * - JSON.parse of the same papers as JSON: V8's native parser on the data
 *   a JSON API would send instead of Atom.
 *
 * Workloads: the five saved feeds with entries (2016 and 2026 layouts, 23
 * entries, 57 KB), parsed in turn; and one 2,000-entry page (the API's
 * largest) built from the 20 entries of the two saved searches repeated.
 * Methods alternate batch by batch; the median batch is reported.
 *
 *   npx tsx bench/research-parse.ts [--batches 10] [--batch-ms 250]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArxivFeed } from '../src/research/atom-feed.js';
import { parseXml } from '../src/research/xml.js';
import { fixturePath } from '../test/support/fixtures.js';
import { BENCH_DIR, loadAverage, machine, positiveInt } from './lib/measure.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const batches = positiveInt(option('batches'), 10, 'batches');
const batchMs = positiveInt(option('batch-ms'), 250, 'batch-ms');

const SAVED = [
  'legacy-2016-search-1-entry.xml',
  'legacy-2016-search-10-entries.xml',
  'legacy-2016-id-list.xml',
  '2026-search-10-entries.xml',
  '2026-id-list-1-entry.xml',
];

interface Workload {
  name: string;
  feeds: string[];
  entries: number;
}

function workloads(): Workload[] {
  const saved = SAVED.map((f) => readFileSync(fixturePath('arxiv', f), 'utf8'));
  const search = saved[3]!;
  const entries = [
    ...saved[1]!.matchAll(/<entry>[\s\S]*?<\/entry>/g),
    ...search.matchAll(/<entry>[\s\S]*?<\/entry>/g),
  ];
  const repeated = Array.from({ length: 100 }, () => entries.map((m) => m[0]).join('\n  ')).join('\n  ');
  const header = search
    .slice(0, search.indexOf('<entry>'))
    .replace(/<opensearch:totalResults>\d+/, '<opensearch:totalResults>2000');
  const big = `${header}${repeated}\n</feed>\n`;
  const count = (feeds: string[]) => feeds.reduce((n, f) => n + parseArxivFeed(f, 'count').papers.length, 0);
  return [
    { name: 'saved feeds (5 files, both layouts)', feeds: saved, entries: count(saved) },
    { name: 'one 2,000-entry page', feeds: [big], entries: count([big]) },
  ];
}

interface Method {
  name: string;
  /** What the method reads: the Atom text, or the JSON made from it. */
  inputs(w: Workload): string[];
  run(text: string): number;
}

const TITLE = /<title>([\s\S]*?)<\/title>/g;
const methods: Method[] = [
  {
    name: 'parseArxivFeed (XML, Atom mapping, zod check)',
    inputs: (w) => w.feeds,
    run: (text) => parseArxivFeed(text, 'bench').papers.length,
  },
  {
    name: 'parseXml only (tokenizer and tree)',
    inputs: (w) => w.feeds,
    run: (text) => parseXml(text).children.length,
  },
  {
    name: 'baseline: regex titles',
    inputs: (w) => w.feeds,
    run: (text) => {
      let n = 0;
      for (const _ of text.matchAll(TITLE)) n++;
      return n;
    },
  },
  {
    name: 'baseline: JSON.parse of the same papers',
    inputs: (w) => w.feeds.map((f) => JSON.stringify(parseArxivFeed(f, 'json'))),
    run: (text) => (JSON.parse(text) as { papers: unknown[] }).papers.length,
  },
];

interface Row {
  workload: string;
  method: string;
  entriesPerSec: number;
  mbPerSec: number;
  inputBytes: number;
  passes: number;
}

function measure(): Row[] {
  const rows: Row[] = [];
  for (const w of workloads()) {
    const prepared = methods.map((m) => ({ m, inputs: m.inputs(w) }));
    const bytes = prepared.map(({ inputs }) => inputs.reduce((n, t) => n + Buffer.byteLength(t), 0));
    const rates: number[][] = methods.map(() => []);
    for (const { m, inputs } of prepared) for (let i = 0; i < 3; i++) for (const t of inputs) m.run(t);
    for (let b = 0; b < batches; b++) {
      prepared.forEach(({ m, inputs }, i) => {
        let passes = 0;
        const start = performance.now();
        let elapsed = 0;
        while (elapsed < batchMs) {
          for (const t of inputs) m.run(t);
          passes++;
          elapsed = performance.now() - start;
        }
        rates[i]!.push(passes / (elapsed / 1000));
      });
    }
    prepared.forEach(({ m }, i) => {
      const passesPerSec = median(rates[i]!);
      rows.push({
        workload: w.name,
        method: m.name,
        entriesPerSec: passesPerSec * w.entries,
        mbPerSec: (passesPerSec * bytes[i]!) / 1e6,
        inputBytes: bytes[i]!,
        passes: rates[i]!.length,
      });
    });
  }
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const load = loadAverage();
const rows = measure();
const out = { machine: machine(), loadAverage: load, batches, batchMs, date: new Date().toISOString(), rows };
mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
writeFileSync(join(BENCH_DIR, 'results', 'research-parse.json'), `${JSON.stringify(out, null, 2)}\n`);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
for (const workload of new Set(rows.map((r) => r.workload))) {
  const group = rows.filter((r) => r.workload === workload);
  const ours = group[0]!;
  console.log(`\n${workload} (${fmt(group[0]!.inputBytes)} bytes of Atom)`);
  console.log('| method | entries/s | MB/s | ours ÷ this (entries/s) |\n| --- | ---: | ---: | ---: |');
  for (const r of group) {
    console.log(
      `| ${r.method} | ${fmt(r.entriesPerSec)} | ${r.mbPerSec.toFixed(1)} | ${(ours.entriesPerSec / r.entriesPerSec).toFixed(2)}× |`,
    );
  }
}
console.log(`\nload average ${load?.toFixed(2) ?? '?'}; JSON: bench/results/research-parse.json`);
