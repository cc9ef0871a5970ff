import pc from 'picocolors';
import { loadConfig, resolvePath, type SwarmConfig } from '../../core/config.js';
import { SwarmError } from '../../core/errors.js';
import {
  DEFAULT_DIMS,
  type EmbedderSpec,
  type IngestProgress,
  type IngestReport,
  MemoryStore,
  packContext,
  readManifest,
  type SearchFilter,
  type SearchMode,
} from '../../memory/index.js';
import { formatDuration, formatTokens, oneLine, printJson } from '../format.js';

interface MemoryCommandOptions {
  config?: string;
  dir?: string;
  json?: boolean;
}

/** `--embed` could not be turned into an embedder. */
export class EmbedOptionError extends SwarmError {
  constructor(value: string, detail: string) {
    super('memory_embed_option', `--embed ${value}: ${detail}`, {
      hint:
        'Use `hashed` (the default, no model needed), `hashed:<dims>` (a power of two, 1024 to 4096), or ' +
        '`<provider>:<model>` where the provider is an openai-compatible or openai entry under providers: in swarm.config.yaml.',
    });
  }
}

/** The store agents' `memory_search` reads (`memory.dir` in the config), unless --dir names another. */
function storeDir(config: SwarmConfig, opts: MemoryCommandOptions): string {
  return resolvePath(config, opts.dir ?? config.memory.dir);
}

/** Turns `--embed` into an embedder and its key: `hashed[:dims]`, or a provider of the config and a model. */
function resolveEmbedder(config: SwarmConfig, value: string): { spec: EmbedderSpec; apiKey?: string } {
  const hashed = /^hashed(?::(\d+))?$/.exec(value);
  if (hashed) {
    const dims = hashed[1] === undefined ? DEFAULT_DIMS : Number(hashed[1]);
    if (!Number.isInteger(Math.log2(dims)) || dims < 256 || dims > 8192) {
      throw new EmbedOptionError(value, 'dimensions must be a power of two between 256 and 8192');
    }
    return { spec: { type: 'hashed', dims } };
  }
  const colon = value.indexOf(':');
  if (colon <= 0) throw new EmbedOptionError(value, 'expected hashed, hashed:<dims> or <provider>:<model>');
  const name = value.slice(0, colon);
  const model = value.slice(colon + 1);
  const provider = config.providers[name];
  const type = provider?.type ?? name;
  if (type !== 'openai-compatible' && type !== 'openai') {
    throw new EmbedOptionError(value, `provider "${name}" is not an openai-compatible or openai provider`);
  }
  const baseURL =
    provider?.baseURL ??
    (type === 'openai' ? 'https://api.openai.com/v1' : process.env.OPENAI_COMPATIBLE_BASE_URL);
  if (!baseURL) throw new EmbedOptionError(value, `provider "${name}" has no baseURL`);
  const keyEnv = provider?.apiKeyEnv ?? (type === 'openai' ? 'OPENAI_API_KEY' : 'OPENAI_COMPATIBLE_API_KEY');
  const apiKey = process.env[keyEnv];
  return { spec: { type: 'http', model, baseURL }, ...(apiKey ? { apiKey } : {}) };
}

/** The key for a store made with a remote embedder: the configured provider with the same base URL. */
function keyForStore(config: SwarmConfig, dir: string): string | undefined {
  const spec = readManifest(dir)?.embedder;
  if (spec?.type !== 'http') return undefined;
  for (const provider of Object.values(config.providers)) {
    if (provider.baseURL?.replace(/\/+$/, '') === spec.baseURL.replace(/\/+$/, '') && provider.apiKeyEnv) {
      return process.env[provider.apiKeyEnv];
    }
  }
  return process.env.OPENAI_COMPATIBLE_API_KEY ?? process.env.OPENAI_API_KEY;
}

async function openStore(
  opts: MemoryCommandOptions & {
    embed?: string;
    reembed?: boolean;
    maxTokens?: number;
    overlap?: number;
    segmentChunks?: number;
  },
  readOnly: boolean,
): Promise<{ store: MemoryStore; config: SwarmConfig }> {
  const config = loadConfig({ cwd: process.cwd(), file: opts.config });
  const dir = storeDir(config, opts);
  const embedder = opts.embed ? resolveEmbedder(config, opts.embed) : undefined;
  const apiKey = embedder?.apiKey ?? keyForStore(config, dir);
  const chunking = {
    ...(opts.maxTokens === undefined ? {} : { maxTokens: opts.maxTokens }),
    ...(opts.overlap === undefined ? {} : { overlapTokens: opts.overlap }),
  };
  const store = await MemoryStore.open({
    dir,
    root: config.root,
    readOnly,
    ...(embedder ? { embedder: embedder.spec } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(opts.reembed ? { reembed: true } : {}),
    ...(opts.segmentChunks === undefined ? {} : { segmentChunks: opts.segmentChunks }),
    chunking,
  });
  return { store, config };
}

export interface IngestCommandOptions extends MemoryCommandOptions {
  paths: string[];
  source?: string;
  tenant?: string;
  embed?: string;
  reembed?: boolean;
  prune?: boolean;
  maxTokens?: number;
  overlap?: number;
  segmentChunks?: number;
  wait?: boolean;
}

export async function memoryIngest(opts: IngestCommandOptions): Promise<number> {
  const { store, config } = await openStore(opts, false);
  const progress = new ProgressLine(!opts.json);
  const controller = new AbortController();
  const onSigint = () => {
    progress.note(pc.yellow('stopping… what is done is kept; run the same command again to resume'));
    controller.abort(new Error('interrupted (Ctrl-C)'));
  };
  process.on('SIGINT', onSigint);
  try {
    let report: IngestReport;
    try {
      report = await store.ingest(opts.paths, {
        tenant: opts.tenant ?? config.tenant,
        ...(opts.source ? { source: opts.source } : {}),
        ...(opts.prune ? { prune: true } : {}),
        signal: controller.signal,
        onProgress: (p) => progress.update(p),
      });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      progress.done();
      process.stderr.write(`${pc.yellow('interrupted:')} the files stored so far are kept.\n`);
      return 130;
    }
    progress.done();
    if (opts.wait !== false) await waitForBackground(store, progress, controller.signal);
    const stats = store.stats();
    if (opts.json) {
      printJson({ ...report, stats });
      return 0;
    }
    const seconds = report.elapsedMs / 1000;
    process.stdout.write(
      `Ingested ${formatTokens(report.files)} files (${formatTokens(report.changed)} new or changed, ` +
        `${formatTokens(report.unchanged)} unchanged, ${formatTokens(report.skipped)} skipped` +
        `${report.removed ? `, ${formatTokens(report.removed)} removed` : ''}): ` +
        `${formatTokens(report.chunks)} chunks, ${compact(report.tokens)} tokens in ${formatDuration(report.elapsedMs)}` +
        `${seconds > 0.05 ? ` (${compact(report.tokensPerSecond)} tokens/s)` : ''}.\n`,
    );
    for (const skipped of report.skippedFiles.slice(0, 20)) {
      process.stdout.write(`  ${pc.dim('skipped')} ${skipped.path}: ${skipped.reason}\n`);
    }
    if (report.skippedFiles.length > 20) {
      process.stdout.write(`  ${pc.dim(`… and ${report.skippedFiles.length - 20} more skipped`)}\n`);
    }
    process.stdout.write(
      `Memory: ${formatTokens(stats.files)} files, ${formatTokens(stats.chunks)} chunks in ${stats.segments} segments, ${stats.embedder}.\n`,
    );
    if (stats.background.state === 'paused') {
      process.stderr.write(
        `${pc.yellow('warning:')} ${stats.background.error}\n${pc.dim('hint:')} lexical search works now; ` +
          'vectors are made on the next `swarm memory ingest` once the embeddings endpoint answers.\n',
      );
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await store.close();
  }
}

async function waitForBackground(store: MemoryStore, progress: ProgressLine, signal: AbortSignal) {
  const timer = setInterval(() => {
    const status = store.stats().background;
    if (status.state === 'working') progress.status(`background: ${status.task}`);
  }, 200);
  try {
    await Promise.race([store.idle(), new Promise((resolve) => signal.addEventListener('abort', resolve))]);
  } finally {
    clearInterval(timer);
    progress.done();
  }
}

export interface SearchCommandOptions extends MemoryCommandOptions {
  query: string;
  k?: number;
  mode?: SearchMode;
  path?: string;
  kind?: 'code' | 'markdown' | 'text';
  source?: string;
  tenant?: string;
}

function filterOf(opts: { path?: string; kind?: SearchFilter['kind']; source?: string; tenant?: string }) {
  const filter: SearchFilter = {
    ...(opts.path ? { path: opts.path } : {}),
    ...(opts.kind ? { kind: opts.kind } : {}),
    ...(opts.source ? { source: opts.source } : {}),
    ...(opts.tenant ? { tenant: opts.tenant } : {}),
  };
  return Object.keys(filter).length > 0 ? { filter } : {};
}

export async function memorySearch(opts: SearchCommandOptions): Promise<number> {
  const { store } = await openStore(opts, true);
  try {
    const result = await store.search({
      query: opts.query,
      k: opts.k ?? 10,
      mode: opts.mode ?? 'hybrid',
      ...filterOf(opts),
    });
    if (opts.json) {
      printJson(result);
      return 0;
    }
    for (const hit of result.hits) {
      const ranks = [
        hit.bm25Rank === undefined ? undefined : `bm25 #${hit.bm25Rank}`,
        hit.vectorRank === undefined ? undefined : `vector #${hit.vectorRank}`,
      ].filter(Boolean);
      process.stdout.write(
        `${pc.bold(`${hit.rank}.`)} ${pc.cyan(`${hit.path}:${hit.startLine}-${hit.endLine}`)}` +
          `${hit.symbol ? `  ${hit.symbol}` : ''}  ${pc.dim(`score ${hit.score.toFixed(4)}${ranks.length ? ` (${ranks.join(', ')})` : ''}`)}\n`,
      );
      for (const line of hit.text.split('\n').slice(0, 3))
        process.stdout.write(`   ${pc.dim(oneLine(line, 110))}\n`);
    }
    if (result.notice) process.stderr.write(`${pc.yellow('note:')} ${result.notice}\n`);
    process.stderr.write(
      pc.dim(
        `${result.hits.length} of ${formatTokens(result.chunks)} chunks, ${result.tookMs.toFixed(1)} ms\n`,
      ),
    );
    return 0;
  } finally {
    await store.close();
  }
}

export interface PackCommandOptions extends SearchCommandOptions {
  budget?: number;
}

export async function memoryPack(opts: PackCommandOptions): Promise<number> {
  const { store } = await openStore(opts, true);
  try {
    const packed = await packContext(store, {
      query: opts.query,
      budgetTokens: opts.budget ?? 4000,
      mode: opts.mode ?? 'hybrid',
      ...filterOf(opts),
    });
    if (opts.json) printJson(packed);
    else {
      process.stdout.write(`${packed.text}\n`);
      process.stderr.write(
        pc.dim(
          `${packed.blocks.length} blocks, ${formatTokens(packed.tokens)} of ${formatTokens(packed.budgetTokens)} tokens\n`,
        ),
      );
      if (packed.notice) process.stderr.write(`${pc.yellow('note:')} ${packed.notice}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

export async function memoryStats(opts: MemoryCommandOptions): Promise<number> {
  const { store } = await openStore(opts, true);
  try {
    const stats = store.stats();
    if (opts.json) {
      printJson(stats);
      return 0;
    }
    const rows: [string, string][] = [
      ['directory', stats.dir],
      ['embedder', stats.embedder],
      ['files', formatTokens(stats.files)],
      [
        'chunks',
        `${formatTokens(stats.chunks)} (${formatTokens(stats.deletedChunks)} deleted, not yet merged away)`,
      ],
      ['tokens', compact(stats.tokens)],
      ['segments', `${stats.segments} (${stats.hnswSegments} with an HNSW graph)`],
      ['vectors', `${formatTokens(stats.vectorChunks)} of ${formatTokens(stats.chunks)} chunks`],
      ['on disk', bytes(stats.diskBytes)],
      [
        'in memory',
        `${bytes(stats.memoryBytes)} (${stats.chunks ? Math.round(stats.memoryBytes / stats.chunks) : 0} bytes per chunk)`,
      ],
      ['generation', String(stats.generation)],
    ];
    for (const [key, value] of rows) process.stdout.write(`${pc.dim(key.padEnd(11))} ${value}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** One line on stderr, redrawn in place on a terminal, throttled; nothing when stderr is not a terminal. */
class ProgressLine {
  private last = 0;
  private drawn = false;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly enabled: boolean) {}

  update(p: IngestProgress): void {
    const rate = p.elapsedMs > 0 ? (p.tokens / p.elapsedMs) * 1000 : 0;
    this.status(
      `${formatTokens(p.files)} files · ${formatTokens(p.chunks)} chunks · ${compact(p.tokens)} tokens · ` +
        `${compact(rate)} tokens/s${p.path ? ` · ${p.path}` : ''}`,
    );
  }

  status(text: string): void {
    if (!this.enabled || !this.tty) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const width = process.stderr.columns ?? 100;
    process.stderr.write(`\r\x1b[2K${oneLine(text, Math.max(20, width - 1))}`);
    this.drawn = true;
  }

  note(text: string): void {
    this.done();
    process.stderr.write(`${text}\n`);
  }

  done(): void {
    if (this.drawn) process.stderr.write('\r\x1b[2K');
    this.drawn = false;
  }
}

function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

function bytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}
