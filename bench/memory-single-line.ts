/**
 * A 200 MB file on a single line, ingested: peak memory of the process
 * (RSS, sampled every 50 ms) and time, beside the peak memory of merely
 * reading the same file whole into a string, which is what an ingest that
 * does not stream would hold at least. Each side runs in its own process.
 * The open index (int8 codes and postings of every chunk made) grows with
 * the chunks whatever the file; it is reported apart.
 *
 *   npx tsx bench/memory-single-line.ts [--mb 200] [--out bench/results/memory-single-line.json]
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MemoryStore } from '../src/memory/index.js';
import { BENCH_DIR, loadAverage, machine } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '200' },
    out: { type: 'string', default: join(BENCH_DIR, 'results', 'memory-single-line.json') },
    child: { type: 'string' },
    file: { type: 'string' },
    dir: { type: 'string' },
  },
});

function sampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

async function child(kind: string, file: string, dir: string) {
  const stop = sampler();
  const started = performance.now();
  let detail: Record<string, unknown> = {};
  if (kind === 'read') {
    const text = readFileSync(file, 'utf8');
    detail = { chars: text.length };
  } else {
    const store = await MemoryStore.open({ dir, root: dirname(file), background: false });
    const report = await store.ingest([file]);
    const stats = store.stats();
    // what the open index holds (int8 codes, bits, postings): memory that grows with chunks, not with the file
    detail = {
      chunks: report.chunks,
      tokens: report.tokens,
      segments: stats.segments,
      indexBytes: stats.memoryBytes,
    };
    await store.close();
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ kind, ms, peakRssBytes: stop(), ...detail }));
}

function run(kind: string, file: string, dir: string) {
  const self = fileURLToPath(import.meta.url);
  const out = spawnSync(
    process.execPath,
    ['--import', 'tsx', self, '--child', kind, '--file', file, '--dir', dir],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (out.status !== 0) throw new Error(`${kind} failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as Record<string, number>;
}

if (values.child) {
  await child(values.child, values.file!, values.dir!);
} else {
  const started = Date.now();
  const load = loadAverage();
  const base = mkdtempSync(join(tmpdir(), 'swarm-bench-line-'));
  try {
    const file = join(base, 'one-line.txt');
    const fd = openSync(file, 'w');
    const words = Array.from({ length: 5000 }, (_, i) => `word${i} value${i % 97}`).join(' ');
    let written = 0;
    for (let i = 0; written < Number(values.mb) * 2 ** 20; i++) {
      written += writeSync(fd, `${words} part${i} `);
    }
    closeSync(fd);
    const read = run('read', file, join(base, 'unused'));
    const ingest = run('ingest', file, join(base, 'memory'));
    const result = {
      benchmark: 'memory-single-line',
      date: new Date().toISOString(),
      command: `npx tsx bench/memory-single-line.ts --mb ${values.mb}`,
      machine: machine(),
      loadAverage: { before: load, after: loadAverage() },
      fileBytes: written,
      ingest: { ...ingest, tokensPerSecond: (ingest.tokens ?? 0) / ((ingest.ms ?? 1) / 1000) },
      baselineReadWhole: read,
      peakRatio: (ingest.peakRssBytes ?? 0) / (read.peakRssBytes ?? 1),
      peakBesideIndexRatio:
        ((ingest.peakRssBytes ?? 0) - (ingest.indexBytes ?? 0)) / (read.peakRssBytes ?? 1),
      durationS: Math.round((Date.now() - started) / 1000),
    };
    mkdirSync(dirname(values.out!), { recursive: true });
    writeFileSync(values.out!, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 1));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
