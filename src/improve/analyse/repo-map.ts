import type { Definition, FileFacts } from './facts.js';
import { pageRank, type WeightedEdge } from './pagerank.js';

export interface RepoMapOptions {
  /** The map's size limit in tokens (estimated at 3 characters a token, so it errs on the safe side). */
  budgetTokens?: number;
  /** Files the task is about: the ranking is personalised towards them, and they are left out of the map (the model gets them whole). */
  focusFiles?: readonly string[];
  /** Identifiers the task mentions: references to them weigh ten times more. */
  focusIdentifiers?: readonly string[];
}

export const DEFAULT_MAP_TOKENS = 1024;

export interface RepoMap {
  text: string;
  tokens: number;
  /** How many definitions the map shows. */
  shown: number;
  /** Every file with its rank, best first. */
  ranking: Array<{ path: string; rank: number }>;
}

type MapFile = { path: string } & Pick<FileFacts, 'definitions' | 'references'>;

/**
 * A map of the repository for a model's context, made as Aider makes its
 * repo map: files are nodes, and each use of a name in one file that another
 * file defines is an edge towards the definer, weighted by the square root of
 * the number of uses (more for long, specific names and for the names the
 * task mentions; less for private names and names defined in many places).
 * Personalised PageRank ranks the files; each file's rank flows along its
 * edges to the definitions it uses; the best definitions are shown, file by
 * file, as many as fit in the budget.
 */
export function repoMap(files: readonly MapFile[], options: RepoMapOptions = {}): RepoMap {
  const budget = options.budgetTokens ?? DEFAULT_MAP_TOKENS;
  const focusFiles = new Set(options.focusFiles ?? []);
  const focusIdents = new Set(options.focusIdentifiers ?? []);
  const index = new Map(files.map((file, k) => [file.path, k]));
  const definers = new Map<string, Set<number>>();
  files.forEach((file, k) => {
    for (const def of file.definitions) {
      const set = definers.get(def.name) ?? new Set<number>();
      set.add(k);
      definers.set(def.name, set);
    }
  });
  const edges: Array<WeightedEdge & { ident: string }> = [];
  files.forEach((file, from) => {
    for (const [ident, count] of Object.entries(file.references)) {
      const targets = definers.get(ident);
      if (!targets) continue;
      const weight = identWeight(ident, targets.size, focusIdents) * Math.sqrt(count);
      for (const to of targets) edges.push({ from, to, weight, ident });
    }
  });
  const personal = new Float64Array(files.length).fill(focusFiles.size > 0 ? 0 : 1);
  for (const path of focusFiles) {
    const k = index.get(path);
    if (k !== undefined) personal[k] = 1;
  }
  const rank = pageRank(files.length, edges, personal.some((w) => w > 0) ? personal : undefined);
  const outWeight = new Float64Array(files.length);
  for (const edge of edges) outWeight[edge.from]! += edge.weight;
  const definitionRank = new Map<string, number>();
  for (const edge of edges) {
    const key = `${edge.to}\u0000${edge.ident}`;
    definitionRank.set(
      key,
      (definitionRank.get(key) ?? 0) + (rank[edge.from]! * edge.weight) / outWeight[edge.from]!,
    );
  }
  const ranked: Array<{ file: number; def: Definition; score: number }> = [];
  files.forEach((file, k) => {
    if (focusFiles.has(file.path)) return;
    for (const def of file.definitions) {
      // A definition nobody uses still says what the file offers, below everything that is used.
      const score = definitionRank.get(`${k}\u0000${def.name}`) ?? rank[k]! * 1e-6;
      ranked.push({ file: k, def, score });
    }
  });
  ranked.sort(
    (a, b) =>
      b.score - a.score || files[a.file]!.path.localeCompare(files[b.file]!.path) || a.def.line - b.def.line,
  );
  const render = (count: number) => renderMap(files, ranked.slice(0, count));
  // The largest prefix of the ranking whose rendering fits the budget.
  let low = 0;
  let high = ranked.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (estimateTokens(render(mid)) <= budget) low = mid;
    else high = mid - 1;
  }
  const text = render(low);
  return {
    text,
    tokens: estimateTokens(text),
    shown: low,
    ranking: files
      .map((file, k) => ({ path: file.path, rank: rank[k]! }))
      .sort((a, b) => b.rank - a.rank || a.path.localeCompare(b.path)),
  };
}

/** Aider's weighting: specific names matter, private and everywhere-defined ones less. */
function identWeight(ident: string, definerCount: number, focus: ReadonlySet<string>): number {
  let weight = 1;
  if (focus.has(ident)) weight *= 10;
  const specific = /[a-z][A-Z]|_|-/.test(ident) && ident.length >= 8;
  if (specific) weight *= 10;
  if (ident.startsWith('_')) weight *= 0.1;
  if (definerCount > 5) weight *= 0.1;
  return weight;
}

/** Files in path order; each definition's first line, with `⋮` where lines are left out. */
function renderMap(
  files: readonly MapFile[],
  chosen: ReadonlyArray<{ file: number; def: Definition }>,
): string {
  const byFile = new Map<number, Definition[]>();
  for (const { file, def } of chosen) byFile.set(file, [...(byFile.get(file) ?? []), def]);
  const blocks: string[] = [];
  for (const k of [...byFile.keys()].sort((a, b) => files[a]!.path.localeCompare(files[b]!.path))) {
    const defs = byFile.get(k)!.sort((a, b) => a.line - b.line);
    const lines = [`${files[k]!.path}:`];
    let last = 0;
    for (const def of defs) {
      if (def.line === last) continue;
      if (def.line > last + 1) lines.push('⋮');
      lines.push(`│${def.signature}`);
      last = def.line;
    }
    lines.push('⋮');
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

/** The same upper-leaning estimate the model layer reserves budgets with: three characters a token. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}
