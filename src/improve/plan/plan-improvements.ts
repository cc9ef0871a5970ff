import type { RepoAnalysis } from '../analyse/index.js';
import { type Candidate, SKILLS, type SkillName } from './candidate.js';
import { extractDuplicateCandidates } from './extract-duplicate.js';
import { type LazyLoadThresholds, lazyLoadCandidates } from './lazy-load.js';
import { DEFAULT_MAX_COMPLEXITY, simplifyCandidates } from './simplify.js';
import { DEFAULT_MAX_FILE_LINES, splitFileCandidates } from './split-file.js';

export interface PlanOptions extends LazyLoadThresholds {
  /** Keep at most this many candidates, the best first (default: all). */
  max?: number;
  /** Only these skills (default: all). */
  skills?: readonly SkillName[];
  /** Files over this many lines are split (default 500). */
  maxFileLines?: number;
  /** Functions over this cyclomatic complexity are simplified (default 15). */
  maxComplexity?: number;
}

export interface Plan {
  root: string;
  /** Best first: by score, then by id, so the same analysis always gives the same plan. */
  candidates: Candidate[];
  /** Candidates found before `max` cut the list. */
  found: number;
  thresholds: { maxFileLines: number; maxComplexity: number };
  /** What the plan could not look at, for the reader: files skipped or parsed with errors. */
  notes: string[];
}

/**
 * Ranks what is worth improving in an analysed repository by expected value
 * and risk: files over the size threshold (split-file), duplicated blocks
 * (extract-duplicate), heavy imports loaded eagerly on the start-up path
 * (lazy-load) and the most complex functions (simplify). Each candidate names
 * its skill, target, reason and figures. Nothing is changed.
 */
export async function planImprovements(analysis: RepoAnalysis, options: PlanOptions = {}): Promise<Plan> {
  const skills = new Set(options.skills ?? SKILLS);
  const maxFileLines = options.maxFileLines ?? DEFAULT_MAX_FILE_LINES;
  const maxComplexity = options.maxComplexity ?? DEFAULT_MAX_COMPLEXITY;
  const found: Candidate[] = [];
  if (skills.has('split-file')) found.push(...splitFileCandidates(analysis, maxFileLines));
  if (skills.has('extract-duplicate')) found.push(...extractDuplicateCandidates(analysis));
  if (skills.has('lazy-load')) found.push(...(await lazyLoadCandidates(analysis, options)));
  if (skills.has('simplify')) found.push(...simplifyCandidates(analysis, maxComplexity));
  found.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const notes: string[] = [];
  const broken = analysis.files.filter((file) => file.syntaxErrors.length > 0);
  if (broken.length > 0) {
    notes.push(
      `${broken.length} file(s) have syntax errors and get no candidates: ` +
        broken.map((file) => `${file.path}:${file.syntaxErrors[0]!.line}`).join(', '),
    );
  }
  if (analysis.skipped.length > 0)
    notes.push(`${analysis.skipped.length} path(s) were skipped by the analysis`);
  return {
    root: analysis.root,
    candidates: options.max === undefined ? found : found.slice(0, options.max),
    found: found.length,
    thresholds: { maxFileLines, maxComplexity },
    notes,
  };
}
