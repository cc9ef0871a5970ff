/**
 * `swarm improve`'s analysis on real source trees that ship in node_modules,
 * each command in its own cold process and alternated, all from one run:
 *
 * - duplication: our detector (read, tokenise, rolling-hash clone search)
 *   against jscpd 5.3.2 (`node_modules/.bin/jscpd`, JSON reporter) with the
 *   same defaults (50 tokens, 5 lines): process time, and the share of
 *   jscpd's clone pairs we also report (both sides overlapping);
 * - analysis: the whole `analyseRepo` with no cache, against a baseline of
 *   the same files only parsed by web-tree-sitter (the floor for any
 *   tree-sitter analysis), and again with the cache warm (unchanged tree).
 *
 * Our code runs compiled (tsc to a temporary directory), as `swarm` would,
 * so no TypeScript transpiler sits in the timings. Wall and CPU time
 * (user + system, of the whole process tree) are both reported: on a busy
 * machine CPU time is the steadier one.
 *
 *   npx tsx bench/improve-analysis.ts [--runs 5] [--trees ai,openai,zod]
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BENCH_DIR, loadAverage, machine, packageVersion, positiveInt } from './lib/measure.js';

const REPO = resolve(BENCH_DIR, '..');
const TREES: Record<string, { name: string; dir: string }> = {
  ai: { name: `AI SDK (ai ${packageVersion('ai')}) src/`, dir: 'node_modules/ai/src' },
  openai: {
    name: `OpenAI Node SDK (openai ${packageVersion('openai')}) src/`,
    dir: 'node_modules/openai/src',
  },
  zod: { name: `Zod (zod ${packageVersion('zod')}) src/`, dir: 'node_modules/zod/src' },
};

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const runs = positiveInt(option('runs'), 5, 'runs');
const chosen = (option('trees') ?? 'ai,openai,zod').split(',');

interface Timed {
  wallMs: number;
  cpuMs: number;
  /** What the child printed on its last line (JSON). */
  out: string;
}

/** Runs a command under /usr/bin/time, which reports the CPU of the whole process tree (jscpd's launcher spawns its binary). */
function timed(argv: string[]): Timed {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S', ...argv], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  const [elapsed, user, system] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return {
    wallMs: Math.round(elapsed! * 1000),
    cpuMs: Math.round((user! + system!) * 1000),
    out: result.stdout.trim().split('\n').at(-1) ?? '',
  };
}

const work = mkdtempSync(join(tmpdir(), 'swarm-bench-improve-'));
const build = join(work, 'build');
console.error(`compiling src/ to ${build} ...`);
const tsc = spawnSync(
  process.execPath,
  ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', build, '--sourceMap', 'false'],
  {
    cwd: REPO,
    encoding: 'utf8',
  },
);
// Other areas' work in progress may not typecheck; tsc still emits. Only errors in the measured code stop the run.
if (tsc.status !== 0) {
  const output = `${tsc.stdout}${tsc.stderr}`;
  if (/src\/improve\/analyse\//.test(output) || !existsSync(join(build, 'improve', 'analyse', 'index.js'))) {
    throw new Error(`tsc failed:\n${output}`);
  }
  console.error(`tsc reported errors outside src/improve/analyse (ignored here):\n${output}`);
}
// The compiled code finds its packages the way node does, walking up from its own directory.
symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'), 'dir');
const improve = join(build, 'improve', 'analyse', 'index.js');
const listing = join(build, 'improve', 'analyse', 'source-files.js');
const lexer = join(build, 'improve', 'analyse', 'lexer.js');
const detector = join(build, 'improve', 'analyse', 'duplicates.js');
const grammar = join(build, 'improve', 'analyse', 'grammar.js');
const nodeScript = (body: string) => [process.execPath, '--input-type=module', '-e', body];

/** Our duplicate detection, cold: list, read, tokenise, detect; prints the pairs. */
const duplicatesScript = (dir: string) =>
  nodeScript(`
    import { readFileSync } from 'node:fs';
    import { findDuplicates } from ${JSON.stringify(detector)};
    import { tokenize } from ${JSON.stringify(lexer)};
    import { listSourceFiles } from ${JSON.stringify(listing)};
    const t0 = performance.now();
    const { files } = listSourceFiles(${JSON.stringify(resolve(REPO, dir))});
    const texts = files.map((f) => readFileSync(f.abs, 'utf8'));
    const pairs = findDuplicates(files.map((f, k) => ({ path: f.path, tokens: tokenize(texts[k], f.language) })));
    console.log(JSON.stringify({ ms: performance.now() - t0, pairs }));
  `);

/** The whole analysis; with a cache directory that persists between calls. */
const analyseScript = (dir: string, cacheDir: string) =>
  nodeScript(`
    import { analyseRepo } from ${JSON.stringify(improve)};
    const a = await analyseRepo(${JSON.stringify(resolve(REPO, dir))}, { cacheDir: ${JSON.stringify(cacheDir)} });
    console.log(JSON.stringify({ ms: a.stats.elapsedMs, files: a.totals.files, lines: a.totals.lines,
      bytes: a.files.reduce((s, f) => s + f.bytes, 0), parsed: a.stats.parsedFiles, cached: a.stats.cachedFiles,
      pairs: a.duplicates.pairs.length }));
  `);

/** Baseline: read every file the analysis reads and only parse it with web-tree-sitter. */
const parseOnlyScript = (dir: string) =>
  nodeScript(`
    import { readFileSync } from 'node:fs';
    import { listSourceFiles } from ${JSON.stringify(listing)};
    import { parserFor } from ${JSON.stringify(grammar)};
    const t0 = performance.now();
    const { files } = listSourceFiles(${JSON.stringify(resolve(REPO, dir))});
    for (const f of files) {
      const parser = await parserFor(f.language);
      parser.parse(readFileSync(f.abs, 'utf8')).delete();
    }
    console.log(JSON.stringify({ ms: performance.now() - t0 }));
  `);

const jscpdArgs = (dir: string, out: string) => [
  process.execPath,
  'node_modules/.bin/jscpd',
  dir,
  '--min-tokens',
  '50',
  '--min-lines',
  '5',
  '--reporters',
  'json',
  '--output',
  out,
  '--silent',
];

interface Side {
  path: string;
  startLine: number;
  endLine: number;
}

/** The share of jscpd's pairs that one of ours matches: same two files, overlapping lines on both sides. */
function recall(
  ours: ReadonlyArray<{ first: Side; second: Side }>,
  report: string,
): { jscpd: number; found: number } {
  const theirs = (
    JSON.parse(readFileSync(report, 'utf8')) as {
      duplicates: Array<Record<string, { name: string; start: number; end: number }>>;
    }
  ).duplicates;
  const overlap = (a: Side, name: string, start: number, end: number) =>
    a.path === name && a.startLine <= end && start <= a.endLine;
  let found = 0;
  for (const d of theirs) {
    const x = d.firstFile!;
    const y = d.secondFile!;
    const hit = ours.some(
      (p) =>
        (overlap(p.first, x.name, x.start, x.end) && overlap(p.second, y.name, y.start, y.end)) ||
        (overlap(p.first, y.name, y.start, y.end) && overlap(p.second, x.name, x.start, x.end)),
    );
    if (hit) found++;
  }
  return { jscpd: theirs.length, found };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function measureTree(key: string) {
  const tree = TREES[key];
  if (!tree) throw new Error(`unknown tree "${key}"; known: ${Object.keys(TREES).join(', ')}`);
  console.error(`${tree.name}: ${runs} alternating runs ...`);
  const cacheDir = join(work, `cache-${key}`);
  const report = join(work, `jscpd-${key}`);
  mkdirSync(report, { recursive: true });
  const series: Record<string, Timed[]> = {
    jscpd: [],
    duplicates: [],
    parseOnly: [],
    analyseCold: [],
    analyseWarm: [],
    analyseWarmNoGraph: [],
  };
  for (let run = 0; run < runs + 1; run++) {
    const keep = run > 0; // the first round warms the disk cache and is dropped
    const sample: Record<string, Timed> = {
      jscpd: timed(jscpdArgs(tree.dir, report)),
      duplicates: timed(duplicatesScript(tree.dir)),
      parseOnly: timed(parseOnlyScript(tree.dir)),
    };
    rmSync(cacheDir, { recursive: true, force: true });
    sample.analyseCold = timed(analyseScript(tree.dir, cacheDir));
    sample.analyseWarm = timed(analyseScript(tree.dir, cacheDir));
    // The same warm run without the cached import graph: what the warm path cost before the graph was cached.
    const cacheFile = join(cacheDir, 'analysis-cache.json');
    const full = readFileSync(cacheFile, 'utf8');
    const { imports: _graph, ...withoutGraph } = JSON.parse(full) as Record<string, unknown>;
    writeFileSync(cacheFile, JSON.stringify(withoutGraph));
    sample.analyseWarmNoGraph = timed(analyseScript(tree.dir, cacheDir));
    writeFileSync(cacheFile, full);
    if (keep) for (const [name, t] of Object.entries(sample)) series[name]!.push(t);
  }
  const inner = (name: string) => median(series[name]!.map((t) => (JSON.parse(t.out) as { ms: number }).ms));
  const wall = (name: string) => median(series[name]!.map((t) => t.wallMs));
  const cpu = (name: string) => median(series[name]!.map((t) => t.cpuMs));
  const cold = JSON.parse(series.analyseCold!.at(-1)!.out) as {
    files: number;
    lines: number;
    bytes: number;
    parsed: number;
  };
  const warm = JSON.parse(series.analyseWarm!.at(-1)!.out) as { cached: number; parsed: number };
  const ours = (JSON.parse(series.duplicates!.at(-1)!.out) as { pairs: Array<{ first: Side; second: Side }> })
    .pairs;
  const share = recall(ours, join(report, 'jscpd-report.json'));
  const row = {
    tree: tree.name,
    dir: tree.dir,
    files: cold.files,
    lines: cold.lines,
    bytes: cold.bytes,
    jscpd: { wallMs: wall('jscpd'), cpuMs: cpu('jscpd'), pairs: share.jscpd },
    duplicates: {
      wallMs: wall('duplicates'),
      cpuMs: cpu('duplicates'),
      inProcessMs: inner('duplicates'),
      pairs: ours.length,
      foundOfJscpd: share.found,
    },
    parseOnly: { wallMs: wall('parseOnly'), cpuMs: cpu('parseOnly'), inProcessMs: inner('parseOnly') },
    analyseCold: {
      wallMs: wall('analyseCold'),
      cpuMs: cpu('analyseCold'),
      inProcessMs: inner('analyseCold'),
      parsed: cold.parsed,
    },
    analyseWarmNoGraph: { inProcessMs: inner('analyseWarmNoGraph') },
    analyseWarm: {
      wallMs: wall('analyseWarm'),
      cpuMs: cpu('analyseWarm'),
      inProcessMs: inner('analyseWarm'),
      cached: warm.cached,
      parsed: warm.parsed,
    },
  };
  return row;
}

const results = chosen.map(measureTree);

const f0 = (x: number) => x.toFixed(0);
console.log(
  `\nMachine: ${machine().cpu}, ${machine().nproc} cores, Node ${process.version}, load ${loadAverage()}; medians of ${runs} runs.\n`,
);
console.log(
  '| tree | files | lines | jscpd ms wall / cpu | ours ms wall / cpu (in-process) | jscpd pairs | ours | jscpd pairs we find |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(
    `| ${r.tree} | ${r.files} | ${r.lines} | ${f0(r.jscpd.wallMs)} / ${f0(r.jscpd.cpuMs)} | ` +
      `${f0(r.duplicates.wallMs)} / ${f0(r.duplicates.cpuMs)} (${f0(r.duplicates.inProcessMs)}) | ${r.jscpd.pairs} | ${r.duplicates.pairs} | ` +
      `${r.duplicates.foundOfJscpd} (${((100 * r.duplicates.foundOfJscpd) / r.jscpd.pairs).toFixed(1)}%) |`,
  );
}
console.log(
  '\n| tree | parse only ms wall / cpu (in-process) | analysis, no cache | analysis, cache warm | cold ÷ parse-only (in-process) | cold ÷ warm (in-process / wall) | warm without the cached import graph, in-process (÷ warm) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(
    `| ${r.tree} | ${f0(r.parseOnly.wallMs)} / ${f0(r.parseOnly.cpuMs)} (${f0(r.parseOnly.inProcessMs)}) | ` +
      `${f0(r.analyseCold.wallMs)} / ${f0(r.analyseCold.cpuMs)} (${f0(r.analyseCold.inProcessMs)}) | ` +
      `${f0(r.analyseWarm.wallMs)} / ${f0(r.analyseWarm.cpuMs)} (${f0(r.analyseWarm.inProcessMs)}) | ` +
      `${(r.analyseCold.inProcessMs / r.parseOnly.inProcessMs).toFixed(2)}× | ` +
      `${(r.analyseCold.inProcessMs / r.analyseWarm.inProcessMs).toFixed(1)}× / ${(r.analyseCold.wallMs / r.analyseWarm.wallMs).toFixed(1)}× | ` +
      `${f0(r.analyseWarmNoGraph.inProcessMs)} (${(r.analyseWarmNoGraph.inProcessMs / r.analyseWarm.inProcessMs).toFixed(2)}×) |`,
  );
}
mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
writeFileSync(
  join(BENCH_DIR, 'results', 'improve-analysis.json'),
  `${JSON.stringify({ machine: machine(), load: loadAverage(), runs, jscpd: packageVersion('jscpd'), results }, null, 2)}\n`,
);
rmSync(work, { recursive: true, force: true });
