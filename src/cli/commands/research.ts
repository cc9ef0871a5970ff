import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { loadManifestFile, manifestFiles } from '../../agents/registry.js';
import { createRuntime } from '../../agents/runtime.js';
import { loadConfig, resolvePath, type SwarmConfig } from '../../core/config.js';
import { errorMessage } from '../../core/errors.js';
import {
  AgentSummariser,
  categorySource,
  describeSource,
  ExtractiveSummariser,
  idsSource,
  parseResearchConfig,
  type ResearchConfig,
  type ResearchProgress,
  type ResearchReport,
  type ResearchSource,
  runResearch,
  type Summariser,
  sourceFromUrl,
  watchImprovements,
} from '../../research/index.js';
import { formatError } from '../action.js';
import { InvalidInputError } from '../errors.js';
import { formatDuration, oneLine, printJson } from '../format.js';

export interface ResearchCommandOptions {
  config?: string;
  query?: string;
  category?: string;
  ids?: string[];
  url?: string[];
  file?: string[];
  project?: string;
  top?: number;
  limit?: number;
  model?: string;
  agent?: string;
  agents?: string;
  apiBase?: string;
  interval?: number;
  json?: boolean;
}

/** The manifests shipped with Swarm; the summariser agent is found here when the project has none. */
const PACKAGED_AGENTS = fileURLToPath(new URL('../../../examples/agents/', import.meta.url));

export async function research(opts: ResearchCommandOptions): Promise<number> {
  const { config, settings } = setup(opts);
  const sources = sourcesFrom(opts);
  const summary = pickSummariser(config, settings, opts);
  const controller = interruptible();
  const log = progressLog(opts.json === true);
  if (!opts.json) {
    const what = sources.length
      ? sources.map(describeSource).join(', ')
      : 'new arXiv links in improvements.md';
    log(`researching ${what} for ${projectDir(opts)}; summaries: ${summary.summariser.label}`);
  }
  try {
    const report = await runResearch({
      projectDir: projectDir(opts),
      sources,
      top: opts.top ?? settings.top,
      limit: opts.limit ?? settings.limit,
      fetch: settings.fetch,
      summariser: summary.summariser,
      signal: controller.signal,
      onProgress: (p) => log(describeProgress(p)),
    });
    if (opts.json) printJson(report);
    else printReport(report);
    return 0;
  } catch (error) {
    if (controller.signal.aborted) {
      process.stderr.write(pc.yellow('interrupted: nothing was written for this run\n'));
      return 130;
    }
    throw error;
  } finally {
    controller.dispose();
    summary.close();
  }
}

export async function researchWatch(opts: ResearchCommandOptions & { debounce?: number }): Promise<number> {
  const { config, settings } = setup(opts);
  if (sourcesFrom(opts).length > 0) {
    throw new InvalidInputError(
      'watch takes its sources from improvements.md: drop --query, --category, --ids, --url and --file',
    );
  }
  const summary = pickSummariser(config, settings, opts);
  const controller = interruptible();
  const log = progressLog(opts.json === true);
  const dir = projectDir(opts);
  log(
    `watching ${resolve(dir, 'improvements.md')} for new arXiv links (Ctrl-C stops); summaries: ${summary.summariser.label}`,
  );
  try {
    await watchImprovements({
      projectDir: dir,
      top: opts.top ?? settings.top,
      limit: opts.limit ?? settings.limit,
      fetch: settings.fetch,
      summariser: summary.summariser,
      debounceMs: opts.debounce ?? settings.debounceMs,
      signal: controller.signal,
      onProgress: (p) => log(describeProgress(p)),
      onReport: (report) => {
        if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else if (report.links.processed.length > 0 || report.kept.length > 0) printReport(report);
      },
      onError: (error) => process.stderr.write(formatError(error)),
    });
    return 0;
  } finally {
    controller.dispose();
    summary.close();
  }
}

function setup(opts: ResearchCommandOptions): { config: SwarmConfig; settings: ResearchConfig } {
  const config = loadConfig({ cwd: process.cwd(), file: opts.config });
  const settings = parseResearchConfig(config.research, config.file);
  if (opts.apiBase) settings.fetch.apiBase = opts.apiBase;
  if (opts.interval !== undefined) settings.fetch.intervalMs = Math.round(opts.interval * 1000);
  return { config, settings };
}

function projectDir(opts: ResearchCommandOptions): string {
  const dir = resolve(opts.project ?? '.');
  if (!existsSync(dir)) throw new InvalidInputError(`--project ${dir} does not exist`);
  return dir;
}

function sourcesFrom(opts: ResearchCommandOptions): ResearchSource[] {
  const sources: ResearchSource[] = [];
  if (opts.query !== undefined) {
    if (!opts.query.trim()) throw new InvalidInputError('--query is empty');
    sources.push({ kind: 'query', query: opts.query });
  }
  if (opts.category !== undefined) sources.push(categorySource(opts.category));
  if (opts.ids?.length) sources.push(idsSource(opts.ids.flatMap((i) => i.split(',')).filter(Boolean)));
  for (const url of opts.url ?? []) sources.push(sourceFromUrl(url));
  for (const file of opts.file ?? []) {
    const path = resolve(file);
    if (!existsSync(path)) throw new InvalidInputError(`--file ${path} does not exist`);
    sources.push({ kind: 'file', path });
  }
  return sources;
}

/**
 * A model summary needs a model: --model, research.model, the summariser
 * manifest's own, or defaultModel. The manifest comes from the project's
 * agents directory when it has one by that name, else from Swarm's examples.
 */
function pickSummariser(
  config: SwarmConfig,
  settings: ResearchConfig,
  opts: ResearchCommandOptions,
): { summariser: Summariser; close(): void } {
  const agent = opts.agent ?? settings.agent;
  const own = resolvePath(config, opts.agents ?? config.agents);
  const dir = findAgent(own, agent) ? own : PACKAGED_AGENTS;
  const manifest = findAgent(dir, agent);
  const override = opts.model ?? settings.model;
  const model =
    override ?? (manifest?.model === undefined ? config.defaultModel : [manifest.model].flat()[0]);
  if (!manifest || !model) {
    const reason = !manifest
      ? `no agent "${agent}" in ${own} or ${PACKAGED_AGENTS}`
      : 'no model is configured (use --model, research.model or defaultModel in swarm.config.yaml)';
    return { summariser: new ExtractiveSummariser(reason), close() {} };
  }
  const runtime = createRuntime({
    config,
    agentsDir: dir,
    ...(override ? { modelOverride: override } : {}),
    onStoreError: (error) => process.stderr.write(formatError(error)),
  });
  const summariser = new AgentSummariser({ runner: runtime.runner, events: runtime.events, agent, model });
  return { summariser, close: () => runtime.close() };
}

function findAgent(dir: string, name: string) {
  for (const file of manifestFiles(dir)) {
    try {
      const { manifest } = loadManifestFile(file);
      if (manifest.name === name) return manifest;
    } catch {
      // a broken manifest that is not the summariser is not this command's concern
    }
  }
  return undefined;
}

function interruptible(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted (Ctrl-C)'));
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

function progressLog(quiet: boolean): (line: string | undefined) => void {
  const started = Date.now();
  return (line) => {
    if (line && !quiet)
      process.stderr.write(`${pc.dim(`[${formatDuration(Date.now() - started)}]`)} ${line}\n`);
  };
}

function describeProgress(p: ResearchProgress): string | undefined {
  switch (p.type) {
    case 'request':
      return p.attempt > 1 ? `request ${oneLine(p.url, 100)} (attempt ${p.attempt})` : undefined;
    case 'retry':
      return pc.yellow(`retrying in ${formatDuration(p.delayMs)}: ${oneLine(p.reason, 100)}`);
    case 'page':
      return `${p.source}: ${p.start + p.got} of ${p.total.toLocaleString('en-US')} read`;
    case 'ranked':
      return `ranked ${p.candidates} new or updated papers against the project; keeping ${p.kept}`;
    case 'summary':
      return `summarising ${p.index}/${p.of}: arXiv:${p.id}`;
    case 'written':
      return `wrote ${p.notes} notes, appended ${p.proposals} proposals`;
  }
}

function printReport(report: ResearchReport): void {
  const out = process.stdout;
  out.write(
    `${report.fetched} entries read, ${report.unique} distinct papers, ${report.unchanged} already noted, ` +
      `${report.passedBefore} passed over before, ${report.kept.length} kept, ${report.dropped} below the top N\n`,
  );
  for (const k of report.kept) {
    const modules = k.modules.length ? pc.dim(` → ${k.modules.join(', ')}`) : '';
    const status = k.status === 'updated' ? pc.cyan(' (new version)') : '';
    out.write(
      `  ${k.score.toFixed(3)}  arXiv:${k.id}v${k.version}  ${oneLine(k.title, 70)}${status}${modules}\n`,
    );
  }
  if (report.kept.length > 0) {
    out.write(
      `notes: ${report.kept[0]!.note.replace(/[^/]+$/, '')} · ${report.proposals.length} new proposals in improvements.md\n`,
    );
  }
  if (report.links.ignored.length)
    out.write(pc.dim(`links that are not arXiv pages: ${report.links.ignored.length}\n`));
  for (const warning of report.warnings) out.write(`${pc.yellow('warning:')} ${errorMessage(warning)}\n`);
}
