import type { CascadeContext } from '../../core/context.js';
import type { DetectedCommand } from '../analyse/index.js';
import type { Candidate, SkillName } from '../plan/index.js';
import type { RepoFigures } from '../records/figures.js';
import type { Skill, SkillModel } from '../skills/index.js';
import type { CandidateResult } from './candidate-result.js';

/** Builds the model function for one purpose and candidate, its calls children of the run's context. */
export type ModelFactory = (
  purpose: 'edit' | 'review',
  candidateId: string,
  ctx: CascadeContext,
) => SkillModel;

/** How a candidate finds its skill: the skills folder's choice, given what is available. */
export type SkillPicker = (
  candidate: Candidate,
  modelAvailable: boolean,
  exclude: readonly Skill['name'][],
) => Skill | undefined;

export interface ImproveOptions {
  /** The repository to improve. */
  repo: string;
  /** The branch to improve and, with `merge`, to fast-forward (default: the checked-out branch). */
  target?: string;
  dryRun?: boolean;
  /** Candidates tried per cycle, best first. */
  max?: number;
  /** Only candidates of these kinds. */
  skills?: readonly SkillName[];
  /** Fast-forward the target branch to the tested result. */
  merge?: boolean;
  /** Approved branches that trigger the fast-forward without `merge` (default 50). */
  mergeThreshold?: number;
  /** Candidates applied at once (workflow workers). */
  workers?: number;
  /** Repeat analyse → plan → apply → merge up to this many times (default 1). */
  cycles?: number;
  allowDirty?: boolean;
  /** Keep changes in a repository with no test command. */
  noTests?: boolean;
  /** Replace a detected command (e.g. a narrower test command for a large repository). */
  commands?: Partial<Record<'test' | 'lint' | 'typecheck', DetectedCommand | null>>;
  /** Per command run (default 10 minutes). */
  commandTimeoutMs?: number;
  /** Branches merged before each test run of the integration (default 5). */
  batchSize?: number;
  maxFileLines?: number;
  model?: ModelFactory;
  pickSkill: SkillPicker;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { kind: 'cycle'; cycle: number; base: string }
  | { kind: 'note'; message: string }
  | { kind: 'planned'; candidates: Candidate[] }
  | { kind: 'started'; candidateId: string }
  | { kind: 'finished'; result: CandidateResult }
  | { kind: 'reviewed'; candidateId: string; approved: boolean; reasons: string[] }
  | { kind: 'merge'; message: string };

/** One cycle's outcome: what the report shows. */
export interface CycleReport {
  cycle: number;
  base: string;
  planned: Candidate[];
  found: number;
  /** Candidates no available skill handles (most need a model), with why. */
  waiting: Array<{ id: string; reason: string }>;
  results: CandidateResult[];
  merge?: MergeReport;
  before: RepoFigures;
  after?: RepoFigures;
  notes: string[];
}

export interface MergeReport {
  integrationBranch: string;
  tip: string;
  merged: string[];
  dropped: Array<{ branch: string; candidateId: string; reason: string }>;
  testRuns: number;
  /** What happened to the target branch. */
  target: { branch: string; moved: boolean; from: string; to?: string; how?: string; reason?: string };
}

export interface ImproveReport {
  runId: string;
  repo: string;
  target: string;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  noTests: boolean;
  allowDirty: boolean;
  /** Uncommitted paths left alone under --allow-dirty. */
  untouchedChanges: string[];
  commands: Record<string, string>;
  /** How the steps ran: the workflow engine and its workers. */
  execution: string;
  cycles: CycleReport[];
  reclaimed: { runs: string[]; worktrees: number; branches: number };
  /** Paths of the Markdown and JSON reports. */
  files: { markdown: string; json: string };
  planMarkdown?: string;
}
