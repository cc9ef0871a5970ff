import { join } from 'node:path';
import type { CascadeContext } from '../../core/context.js';
import {
  analyseRepo,
  type Baseline,
  type BaselineCommands,
  type RepoAnalysis,
  runBaseline,
} from '../analyse/index.js';
import { integrate } from '../merge/integrate.js';
import { type Candidate, type Plan, planImprovements } from '../plan/index.js';
import { figuresOf } from '../records/figures.js';
import { modelReviewer } from '../review/index.js';
import { reviewChange } from '../review/review-branch.js';
import { git } from '../worktree/git.js';
import { OWN_DIR, type TargetRepo } from '../worktree/repo.js';
import { addDetachedWorktree, removeWorktree } from '../worktree/worktrees.js';
import { baselineGates } from './baseline-gates.js';
import type { CandidateResult } from './candidate-result.js';
import type { GateRunner } from './gates.js';
import type { CycleReport, ImproveOptions, ProgressEvent } from './options.js';
import { applyCandidate } from './transaction.js';

/** The first detected command of each purpose, unless the options replace (or, with null, drop) it. */
export function chooseCommands(analysis: RepoAnalysis, options: ImproveOptions): BaselineCommands {
  const chosen: BaselineCommands = {};
  for (const purpose of ['test', 'lint', 'typecheck'] as const) {
    const given = options.commands?.[purpose];
    const command = given === undefined ? analysis.commands[purpose][0] : given;
    if (command) chosen[purpose] = command;
  }
  return chosen;
}

/** What every cycle of one run shares. */
export interface RunContext {
  repo: TargetRepo;
  runId: string;
  worktreeRoot: string;
  options: ImproveOptions;
  /** The run's root context: model calls are its children. */
  ctx: CascadeContext;
  progress: (event: ProgressEvent) => void;
  /** Emits `improve.candidate` for each finished candidate. */
  onCandidate: (result: CandidateResult) => void;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60_000;

/**
 * One cycle of a run, as the workflow's steps see it: analyse the base
 * commit, plan, take the baseline, apply each candidate in its own worktree,
 * review the kept ones, and merge the approved ones onto an integration
 * commit. The base is checked out in a worktree of the run's own, which later
 * holds the integration; the user's tree is never read or written.
 */
export class Cycle {
  analysis?: RepoAnalysis;
  plan?: Plan;
  baseline?: Baseline;
  gates?: GateRunner;
  /** The test, lint and typecheck commands: detected at the base commit, or given. */
  commands: BaselineCommands = {};
  readonly results = new Map<string, CandidateResult>();
  readonly notes: string[] = [];
  /** Candidates no available skill handles, with why. */
  waiting: Array<{ candidate: Candidate; reason: string }> = [];
  /** Candidates beyond `--max`, for a later run. */
  later: Candidate[] = [];
  report?: CycleReport;
  private dir?: string;

  constructor(
    readonly run: RunContext,
    readonly cycle: number,
    readonly base: string,
  ) {}

  /** The run's own checkout of the base commit (later, of the integration). */
  async workdir(): Promise<string> {
    this.dir ??= await addDetachedWorktree(
      this.run.repo,
      this.run.worktreeRoot,
      `cycle-${this.cycle}`,
      this.base,
    );
    return this.dir;
  }

  async analyse(): Promise<RepoAnalysis> {
    const dir = await this.workdir();
    this.analysis = await analyseRepo(dir, {
      cacheDir: join(this.run.repo.root, OWN_DIR, 'analysis'),
      ...(this.run.options.signal ? { signal: this.run.options.signal } : {}),
    });
    this.commands = chooseCommands(this.analysis, this.run.options);
    return this.analysis;
  }

  /**
   * The plan: every candidate, best first; those no available skill can
   * carry out (most need a model when none is configured) wait on the
   * roadmap instead of taking the places `--max` allows.
   */
  async makePlan(): Promise<Plan> {
    const { options } = this.run;
    const all = await planImprovements(this.analysis!, {
      ...(options.skills ? { skills: options.skills } : {}),
      ...(options.maxFileLines === undefined ? {} : { maxFileLines: options.maxFileLines }),
    });
    const modelAvailable = options.model !== undefined;
    const doable = all.candidates.filter((c) => options.pickSkill(c, modelAvailable, []) !== undefined);
    this.waiting = all.candidates
      .filter((c) => !doable.includes(c))
      .map((candidate) => ({
        candidate,
        reason:
          candidate.needsModel && !modelAvailable
            ? 'needs a language model (--model)'
            : 'no skill handles it',
      }));
    const max = options.max ?? doable.length;
    this.later = doable.slice(max);
    const notes = [...all.notes];
    if (this.waiting.length > 0) {
      notes.push(
        `${this.waiting.length} more candidate(s) wait on the roadmap: ${modelAvailable ? 'no skill handles them' : 'they need a language model (pass --model)'}`,
      );
    }
    if (this.later.length > 0)
      notes.push(`${this.later.length} more candidate(s) are left for a later run by --max`);
    // The analysis ran in the run's worktree; the plan is about the user's repository.
    this.plan = { ...all, root: this.run.repo.root, candidates: doable.slice(0, max), notes };
    this.notes.push(...notes);
    this.run.progress({ kind: 'planned', candidates: this.plan.candidates });
    return this.plan;
  }

  async takeBaseline(): Promise<Baseline> {
    const { options } = this.run;
    const { commands } = this;
    const timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.baseline = await runBaseline(await this.workdir(), commands, {
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    this.gates = baselineGates(this.baseline, commands, { timeoutMs, noTests: options.noTests ?? false });
    const test = this.baseline.test;
    if (!commands.test) {
      this.notes.push(
        options.noTests
          ? 'The repository has no test command: changes were kept with --no-tests, checked by lint and typecheck only.'
          : 'The repository has no test command: no change was kept (pass --no-tests to keep changes checked by lint and typecheck only).',
      );
    } else if (test && !test.passed && !test.timedOut) {
      const passing = test.tests?.filter((t) => t.status === 'passed').length ?? 0;
      this.notes.push(
        `The tests already fail at baseline (exit ${test.exitCode}); only the ${passing} test(s) that passed are held to passing.`,
      );
    }
    if (!this.gates.canKeep) this.notes.push(`No change can be kept: ${this.gates.cannotKeepReason}.`);
    return this.baseline;
  }

  async apply(candidateId: string): Promise<CandidateResult> {
    const done = this.results.get(candidateId);
    if (done) return done;
    const candidate = this.plan!.candidates.find((c) => c.id === candidateId);
    if (!candidate) throw new Error(`candidate ${candidateId} is not in the plan of cycle ${this.cycle}`);
    const { options } = this.run;
    this.run.progress({ kind: 'started', candidateId });
    const result = await applyCandidate(
      {
        repo: this.run.repo,
        runId: this.run.runId,
        worktreeRoot: this.run.worktreeRoot,
        base: this.base,
        branchPrefix: this.cycle > 1 ? `c${this.cycle}-` : '',
        analysis: this.analysis!,
        gates: this.gates!,
        pickSkill: (c, exclude = []) =>
          options.pickSkill(c, options.model !== undefined, exclude) ??
          ({ skip: 'no skill handles this candidate with the chosen --skills' } as const),
        ...(options.model ? { model: options.model('edit', candidateId, this.run.ctx) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      candidate,
    );
    this.results.set(candidateId, result);
    this.run.progress({ kind: 'finished', result });
    this.run.onCandidate(result);
    return result;
  }

  /** The deterministic review (and the model's, when configured) of every kept change. */
  async review(): Promise<CandidateResult[]> {
    const { options } = this.run;
    const approved: CandidateResult[] = [];
    for (const result of this.ordered()) {
      if (result.outcome !== 'kept' || !result.commit) continue;
      const candidate = this.plan!.candidates.find((c) => c.id === result.candidateId)!;
      const verdict = await reviewChange(
        this.run.repo.root,
        {
          candidateId: result.candidateId,
          base: this.base,
          commit: result.commit,
          title: result.title ?? '',
          reason: candidate.reason,
        },
        options.model
          ? { model: modelReviewer(options.model('review', result.candidateId, this.run.ctx)) }
          : {},
      );
      result.review = verdict;
      result.gates.push({
        gate: 'review',
        ok: verdict.approved,
        detail: verdict.reasons.join('; '),
        durationMs: 0,
      });
      this.run.progress({
        kind: 'reviewed',
        candidateId: result.candidateId,
        approved: verdict.approved,
        reasons: verdict.reasons,
      });
      if (verdict.approved) approved.push(result);
    }
    return approved;
  }

  /** Merges the approved branches onto the base in the run's worktree, tested batch by batch. */
  async integrate(approved: readonly CandidateResult[]) {
    const gates = this.gates!;
    return integrate({
      root: this.run.repo.root,
      dir: await this.workdir(),
      base: this.base,
      branches: approved.map((r) => ({
        candidateId: r.candidateId,
        branch: r.branch!,
        title: r.title ?? r.candidateId,
      })),
      batchSize: this.run.options.batchSize ?? 5,
      test: async (dir) => {
        const { gates: found } = await gates.check(dir, this.run.options.signal);
        const failed = found.find((g) => !g.ok);
        return failed
          ? { ok: false, detail: `${failed.gate}: ${failed.detail}` }
          : { ok: true, detail: 'green' };
      },
      onProgress: (message) => this.run.progress({ kind: 'merge', message }),
    });
  }

  /** Candidates in plan order, with their results. */
  ordered(): CandidateResult[] {
    return (this.plan?.candidates ?? []).flatMap((c) => {
      const r = this.results.get(c.id);
      return r ? [r] : [];
    });
  }

  figuresBefore() {
    return figuresOf(this.analysis!, this.baseline?.test?.durationMs);
  }

  async dispose(): Promise<void> {
    if (!this.dir) return;
    await removeWorktree(this.run.repo, { dir: this.dir, branch: '' }, { keepBranch: true });
    this.dir = undefined;
  }

  /** Commits files written in the run's worktree on top of its current commit. */
  async commitRecords(paths: readonly string[], message: string): Promise<string> {
    const dir = await this.workdir();
    await git(dir, ['add', '--', ...paths]);
    const staged = await git(dir, ['diff', '--cached', '--quiet'], { allow: [1] });
    if (staged.code === 0) return (await git(dir, ['rev-parse', 'HEAD'])).stdout.trim();
    await git(dir, ['commit', '--quiet', '--no-verify', '-F', '-'], { input: message });
    return (await git(dir, ['rev-parse', 'HEAD'])).stdout.trim();
  }
}
