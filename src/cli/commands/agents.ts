import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pc from 'picocolors';
import { ManifestError, ManifestSetError } from '../../agents/errors.js';
import { manifestJsonSchema } from '../../agents/manifest.js';
import { AgentRegistry, manifestFiles } from '../../agents/registry.js';
import { availableToolNames } from '../../agents/runtime.js';
import { loadConfig, resolvePath } from '../../core/config.js';
import type { FileProblem } from '../../core/errors.js';
import { printJson } from '../format.js';

interface AgentsOptions {
  config?: string;
  agents?: string;
  json?: boolean;
}

function agentsDir(opts: AgentsOptions): string {
  const config = loadConfig({ cwd: process.cwd(), file: opts.config });
  return resolvePath(config, opts.agents ?? config.agents);
}

/** What a run of this config accepts: built-ins, memory_search and the MCP servers' tools. */
function toolNames(opts: AgentsOptions): Promise<Set<string>> {
  return availableToolNames(loadConfig({ cwd: process.cwd(), file: opts.config }), (message) =>
    process.stderr.write(`${pc.yellow('warning:')} ${message}\n`),
  );
}

export async function listAgents(opts: AgentsOptions): Promise<number> {
  const dir = agentsDir(opts);
  const registry = AgentRegistry.fromDirectory(dir, await toolNames(opts));
  const agents = registry.list();
  if (opts.json) {
    printJson(agents.map(({ manifest, file }) => ({ ...manifest, file })));
    return 0;
  }
  if (agents.length === 0) {
    process.stdout.write(`No agents in ${dir}. Copy examples/agents/*.yaml there, or pass --agents <dir>.\n`);
    return 0;
  }
  for (const { manifest, file } of agents) {
    const model =
      manifest.model === undefined ? pc.dim('(default model)') : [manifest.model].flat().join(' → ');
    process.stdout.write(`${pc.bold(manifest.name)}  ${model}\n  ${manifest.description}\n`);
    if (manifest.tools.length) process.stdout.write(`  ${pc.dim('tools:')} ${manifest.tools.join(', ')}\n`);
    if (manifest.delegates.length)
      process.stdout.write(`  ${pc.dim('delegates to:')} ${manifest.delegates.join(', ')}\n`);
    process.stdout.write(`  ${pc.dim(file)}\n`);
  }
  return 0;
}

/**
 * Validates the given files (or the whole directory) together with the rest
 * of the directory, so references to agents defined elsewhere resolve.
 */
export async function validateAgents(opts: AgentsOptions & { files: string[] }): Promise<number> {
  const dirFiles = manifestFiles(agentsDir(opts));
  const wanted = opts.files.length ? opts.files.map((f) => resolve(f)) : dirFiles;
  const all = [...new Set([...dirFiles, ...wanted])];
  let errors: ManifestError[] = [];
  try {
    AgentRegistry.fromFiles(all, await toolNames(opts));
  } catch (error) {
    if (error instanceof ManifestSetError) errors = [...error.errors];
    else if (error instanceof ManifestError) errors = [error];
    else throw error;
  }
  const problemsOf = (file: string): readonly FileProblem[] =>
    errors.find((e) => e.file === file)?.problems ?? [];
  const otherFiles = errors.filter((e) => !wanted.includes(e.file));
  const results = wanted.map((file) => ({
    file,
    ok: problemsOf(file).length === 0,
    problems: problemsOf(file),
  }));
  if (opts.json) {
    printJson({
      ok: errors.length === 0,
      files: [...results, ...otherFiles.map((e) => ({ file: e.file, ok: false, problems: e.problems }))],
    });
    return errors.length === 0 ? 0 : 1;
  }
  if (wanted.length === 0) process.stdout.write('No manifests found.\n');
  for (const result of results) {
    if (result.ok) process.stdout.write(`${pc.green('✓')} ${result.file}\n`);
  }
  for (const error of errors) process.stdout.write(`${pc.red('✗')} ${error.message}\n`);
  return errors.length === 0 ? 0 : 1;
}

export async function printSchema(opts: { out?: string }): Promise<number> {
  const text = `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
  if (opts.out) {
    writeFileSync(opts.out, text);
    process.stderr.write(`wrote ${opts.out}\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}
