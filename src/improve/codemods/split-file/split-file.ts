import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { RepoAnalysis } from '../../analyse/index.js';
import { codeStyle } from '../code-style.js';
import type { CodemodResult } from '../codemod-result.js';
import { SkillNotApplicableError } from '../errors.js';
import { formatWithRepoTool } from '../repo-formatter.js';
import { kebabCase, loadSource } from '../source.js';
import { writeFilesAtomically } from '../write-files.js';
import type { Declaration, FileModel } from './file-model.js';
import { readFileModel } from './file-model.js';
import { partition } from './partition.js';
import { type ModulePlan, renderFacade, renderModules, type SplitLayout } from './render.js';

export interface SplitFileOptions {
  /** Every resulting file must have at most this many lines (default 500). */
  maxLines?: number;
}

const SKILL = 'split-file';
const DEFAULT_MAX_LINES = 500;
/** Each retry lowers the grouping budget by the worst overshoot plus this margin. */
const RETRIES = 6;
const MARGIN = 5;

/**
 * Splits a TypeScript or JavaScript file over the threshold into cohesive
 * modules in a folder named after it (`src/big.ts` → `src/big/*.ts`), grouped
 * by the reference graph of its top-level declarations (see `partition`),
 * each named after its main declaration. The original file becomes a facade
 * that re-exports exactly its former public names (default and type exports
 * included), so no importer changes. Imports are distributed to the modules
 * that use them, with relative specifiers re-pointed; helpers used across
 * modules are exported from their module but not from the facade.
 *
 * Refuses (`SkillNotApplicableError`, nothing written) a file with syntax
 * errors, load-time code whose order matters, or no split that brings every
 * file under the threshold.
 */
export async function splitFile(
  dir: string,
  path: string,
  analysis: RepoAnalysis,
  options: SplitFileOptions = {},
): Promise<CodemodResult> {
  const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  const refuse = (reason: string): never => {
    throw new SkillNotApplicableError(SKILL, path, reason);
  };
  const source = await loadSource(dir, path, SKILL);
  const lines = lineCount(source.getFullText());
  if (lines <= maxLines) refuse(`it has ${lines} lines, not over the ${maxLines}-line threshold`);
  const model = readFileModel(source, path);
  if (model.declarations.length < 2) refuse('it has fewer than two top-level declarations to separate');
  const ext = posix.extname(path);
  const folder = path.slice(0, -ext.length);
  if (await exists(join(dir, folder))) refuse(`${folder}/ already exists, and the modules would go there`);
  const style = await codeStyle(dir, source, path, analysis);
  const overhead = Math.min(Math.floor(maxLines / 4), model.imports.length + 10);
  let budget = maxLines - overhead;
  for (let attempt = 0; attempt < RETRIES && budget > 0; attempt++) {
    const result = partition(
      model.declarations.map((d) => ({
        id: d.id,
        lines: d.lines,
        uses: [...d.uses.keys()],
        loadUses: [...d.loadUses],
      })),
      budget,
    );
    if ('tooLarge' in result) return refuse(tooLargeReason(model, result.tooLarge, budget));
    if (result.modules.length < 2) refuse('its declarations do not fall into more than one group');
    const layout: SplitLayout = { original: path, modules: plan(model, result.modules, folder, ext), style };
    const files = renderModules(model, layout);
    const facade = renderFacade(model, layout);
    const worst = Math.max(lineCount(facade), ...[...files.values()].map(lineCount));
    if (worst <= maxLines) {
      await writeFilesAtomically(dir, new Map([...files, [path, facade]]));
      // The formatter may wrap lines: what counts is the files as they end up.
      const formatter = await formatWithRepoTool(dir, [path, ...files.keys()]);
      const written = new Map<string, string>();
      for (const file of files.keys()) written.set(file, await readFile(join(dir, file), 'utf8'));
      const formatted = Math.max(...[...written.values()].map(lineCount));
      if (formatted <= maxLines) return describe(path, lines, maxLines, model, layout, written, formatter);
      await writeFile(join(dir, path), source.getFullText());
      await rm(join(dir, folder), { recursive: true, force: true });
      budget -= formatted - maxLines + MARGIN;
      continue;
    }
    budget -= worst - maxLines + MARGIN;
  }
  return refuse(`no grouping of its declarations brings every module under ${maxLines} lines`);
}

function tooLargeReason(model: FileModel, ids: number[], budget: number): string {
  const declarations = ids.map((id) => model.declarations[id]!);
  const lines = declarations.reduce((sum, d) => sum + d.lines, 0);
  if (declarations.length === 1) {
    return `its declaration ${declarations[0]!.names[0]} alone has ${lines} lines, more than the ${budget} a module can hold here`;
  }
  const names = declarations.flatMap((d) => d.names);
  return (
    `${names.length} declarations that need one another while the module loads (${names.slice(0, 4).join(', ')}` +
    `${names.length > 4 ? ', …' : ''}) have ${lines} lines together, more than the ${budget} a module can hold here`
  );
}

/** Module paths named after each group's main declaration: its largest exported one, else its largest. */
function plan(model: FileModel, groups: number[][], folder: string, ext: string): ModulePlan[] {
  const taken = new Set<string>();
  return groups.map((ids) => {
    const declarations = ids.map((id) => model.declarations[id]!);
    const main = mainDeclaration(declarations);
    const base = kebabCase(main.names[0]!) || 'part';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return { path: `${folder}/${name}${ext}`, declarations };
  });
}

function mainDeclaration(declarations: Declaration[]): Declaration {
  const exported = declarations.filter((d) => d.exported || d.isDefault);
  const pool = exported.length > 0 ? exported : declarations;
  return pool.reduce((best, d) => (d.lines > best.lines ? d : best));
}

function describe(
  path: string,
  lines: number,
  maxLines: number,
  model: FileModel,
  layout: SplitLayout,
  files: Map<string, string>,
  formatter: string | undefined,
): CodemodResult {
  const list = layout.modules.map((m) => {
    const names = m.declarations.flatMap((d) => d.names);
    const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? `, … (${names.length})` : '');
    return `- ${m.path} (${lineCount(files.get(m.path)!)} lines): ${shown}`;
  });
  return {
    changedFiles: [path, ...layout.modules.map((m) => m.path)],
    title: `Split ${path} (${lines} lines) into ${layout.modules.length} modules behind a facade`,
    body: [
      `${path} had ${lines} lines, over the ${maxLines}-line threshold. Its ${model.declarations.length} top-level`,
      'declarations are grouped by which of them use which: each entry point goes with the helpers only it',
      'uses, and helpers several of them share get modules of their own, so the modules import one another',
      'without cycles.',
      '',
      ...list,
      '',
      `${path} now re-exports the same public names from these modules, so no importer changes.`,
      ...(formatter ? [`The new files were formatted with the repository's ${formatter}.`] : []),
    ].join('\n'),
  };
}

function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
