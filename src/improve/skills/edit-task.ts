import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { estimateTokens } from '../../models/token-estimate.js';
import type { RepoAnalysis } from '../analyse/index.js';
import { repoMap } from '../analyse/index.js';
import type { Candidate, CandidateLocation } from '../plan/index.js';

export interface EditTaskOptions {
  /** Tokens for the code shown (default 12,000). */
  codeTokens?: number;
  /** Tokens for the repo map (default 1,500). */
  mapTokens?: number;
}

export const DEFAULT_CODE_TOKENS = 12_000;
export const DEFAULT_MAP_TOKENS = 1_500;
/** Lines of context shown around a region when its file is too big to show whole. */
const CONTEXT_LINES = 15;

/**
 * The edit format, spelled out in every task so any model setup (the
 * improver manifest or another) gets the same rules: Aider's SEARCH/REPLACE.
 */
export const EDIT_FORMAT_RULES = [
  'Answer with one or more SEARCH/REPLACE blocks, each like this (the path alone on the line before the fence):',
  '',
  'path/to/file.ts',
  '```ts',
  '<<<<<<< SEARCH',
  'the exact lines to find, copied from the file, with their indentation',
  '=======',
  'the lines to put in their place',
  '>>>>>>> REPLACE',
  '```',
  '',
  'Rules: the SEARCH part must match the file exactly once (add neighbouring lines if it could match twice);',
  'keep blocks small, one per place you change; an empty SEARCH creates a new file; keep behaviour the same',
  'and every existing test passing; change nothing the task does not need. Before the blocks, say in two or',
  'three sentences what you change and why.',
].join('\n');

const INSTRUCTIONS: Record<Candidate['skill'], string> = {
  'extract-duplicate':
    'Remove the duplication: extract the repeated code into one shared function (or constant) in a fitting module, and make every copy use it.',
  simplify:
    'Simplify the function named below: lower its cyclomatic complexity (early returns, a lookup table, small helpers) without changing what it does.',
  'split-file':
    'Split this file into cohesive modules, each well under the threshold, and leave the original path as a facade that re-exports the same public names so no importer changes.',
  'lazy-load':
    'Load this import lazily: move it into the functions that use it as `await import()` (they must be async already, or be made async only where all callers allow it), so start-up no longer loads it.',
};

/**
 * The task an LLM edit receives: what to do and why (the candidate), the
 * code concerned (the target's whole file when it fits, else its region with
 * context; the other copies of a duplicate likewise), and the repo map
 * ranked towards those files, all within a token budget. Code is shown as it
 * is on disk, without line numbers, so SEARCH text can be copied from it.
 */
export async function editTask(
  dir: string,
  candidate: Candidate,
  analysis: RepoAnalysis,
  options: EditTaskOptions = {},
): Promise<string> {
  let budget = options.codeTokens ?? DEFAULT_CODE_TOKENS;
  const places = [candidate.target, ...candidate.related];
  const files = [...new Set(places.map((p) => p.path))];
  const sections: string[] = [];
  for (const path of files) {
    const text = await readFile(join(dir, path), 'utf8');
    const regions = places.filter((p) => p.path === path);
    const share = Math.floor(budget / Math.max(1, files.length - files.indexOf(path)));
    const shown = showFile(path, text, regions, share);
    budget -= estimateTokens(shown);
    sections.push(shown);
  }
  const map = repoMap(analysis.files, {
    budgetTokens: options.mapTokens ?? DEFAULT_MAP_TOKENS,
    focusFiles: files,
    ...(candidate.target.symbol ? { focusIdentifiers: [candidate.target.symbol] } : {}),
  });
  return [
    '# Task',
    INSTRUCTIONS[candidate.skill],
    '',
    `Why: ${candidate.reason}.`,
    ...(candidate.target.symbol ? [`Concerns: ${candidate.target.symbol}`] : []),
    '',
    '# Code',
    ...sections,
    ...(map.text.trim()
      ? ['# Repository map (definitions elsewhere in the repository, most relevant first)', map.text]
      : []),
    '# How to answer',
    EDIT_FORMAT_RULES,
  ].join('\n');
}

function showFile(path: string, text: string, regions: CandidateLocation[], tokens: number): string {
  const lines = text.split('\n');
  const fence = (body: string) => `\`\`\`\n${body}${body.endsWith('\n') ? '' : '\n'}\`\`\``;
  if (estimateTokens(text) <= tokens || regions.every((r) => r.startLine === undefined)) {
    return `${path} (the whole file)\n${fence(cut(text, tokens))}\n`;
  }
  const parts: string[] = [];
  let left = tokens;
  for (const region of regions) {
    const from = Math.max(1, (region.startLine ?? 1) - CONTEXT_LINES);
    const to = Math.min(lines.length, (region.endLine ?? region.startLine ?? 1) + CONTEXT_LINES);
    const body = cut(lines.slice(from - 1, to).join('\n'), left);
    left -= estimateTokens(body);
    parts.push(`${path} (lines ${from}-${to} of ${lines.length})\n${fence(body)}\n`);
  }
  return parts.join('\n');
}

/** At most `tokens` worth of text, cut at a line end. */
function cut(text: string, tokens: number): string {
  const max = tokens * 3;
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  return `${head.slice(0, head.lastIndexOf('\n') + 1)}… (cut here: the rest does not fit the context budget)\n`;
}
