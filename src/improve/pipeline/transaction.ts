import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RepoAnalysis } from '../analyse/index.js';
import type { Candidate } from '../plan/index.js';
import {
  type Skill,
  SkillError,
  type SkillModel,
  SkillNotApplicableError,
  type SkillOutcome,
} from '../skills/index.js';
import { git } from '../worktree/git.js';
import type { TargetRepo } from '../worktree/repo.js';
import {
  addWorktree,
  branchSlug,
  changedPaths,
  removeWorktree,
  stageChanges,
} from '../worktree/worktrees.js';
import type { CandidateResult, GateRecord } from './candidate-result.js';
import { diffStat } from './diff-stat.js';
import type { GateRunner } from './gates.js';

/** What every candidate of one cycle shares. */
export interface TransactionContext {
  repo: TargetRepo;
  runId: string;
  worktreeRoot: string;
  /** The commit every candidate of the cycle starts from. */
  base: string;
  /** Put before each branch name, so later cycles never reuse an earlier cycle's branch (`c2-`). */
  branchPrefix: string;
  analysis: RepoAnalysis;
  gates: GateRunner;
  /** The skill for a candidate, leaving out skills that already found it is not for them. */
  pickSkill: (candidate: Candidate, exclude?: readonly Skill['name'][]) => Skill | { skip: string };
  model?: SkillModel;
  signal?: AbortSignal;
}

/**
 * One candidate as a transaction: a fresh worktree on its own branch, the
 * skill's edit, then the gates in order (the edit applies; no new lint or type
 * errors; every test that passed at baseline still passes). On a pass the
 * change is committed on the branch with what and why, and the worktree is
 * removed (the branch stays); on any failure, worktree and branch are
 * removed and the reason is recorded. The user's tree is never touched.
 */
export async function applyCandidate(
  ctx: TransactionContext,
  candidate: Candidate,
): Promise<CandidateResult> {
  const started = Date.now();
  const picked = ctx.pickSkill(candidate);
  const result = (
    outcome: CandidateResult['outcome'],
    reason: string,
    extra: Partial<CandidateResult> = {},
  ): CandidateResult => ({
    candidateId: candidate.id,
    skill: 'skip' in picked ? candidate.skill : picked.name,
    outcome,
    reason,
    changedFiles: [],
    gates: [],
    durationMs: Date.now() - started,
    ...extra,
  });
  if ('skip' in picked) return result('skipped', picked.skip);
  if (!ctx.gates.canKeep) return result('skipped', ctx.gates.cannotKeepReason);
  const worktree = await addWorktree(
    ctx.repo,
    ctx.worktreeRoot,
    ctx.runId,
    `${ctx.branchPrefix}${branchSlug(candidate.id)}`,
    ctx.base,
  );
  const gates: GateRecord[] = [];
  let keep = false;
  try {
    ctx.signal?.throwIfAborted();
    const applied = await applySkills(ctx, candidate, picked, worktree.dir, gates);
    if ('failed' in applied) return result(applied.outcome, applied.failed, { gates, skill: applied.skill });
    const { skill, outcome } = applied;
    const changed = await changedPaths(worktree);
    const applyGate = gates.at(-1)!;
    if (changed.length === 0) {
      Object.assign(applyGate, { ok: false, detail: `${skill.name}: the edit changed nothing` });
      return result('skipped', 'the skill ran but changed nothing', { gates, skill: skill.name });
    }
    applyGate.detail = `${skill.name}: ${changed.length} file(s) changed`;
    const checked = await ctx.gates.check(worktree.dir, ctx.signal);
    gates.push(...checked.gates);
    const failed = checked.gates.find((gate) => !gate.ok);
    if (failed) {
      const reason = `${failed.gate}: ${failed.detail}`;
      return result('rolled_back', reason, { gates, changedFiles: changed, skill: skill.name });
    }
    await stageChanges(worktree);
    await git(worktree.dir, ['commit', '--quiet', '--no-verify', '-F', '-'], {
      input: commitMessage(ctx.runId, candidate, outcome.title, outcome.body, gates),
    });
    const commit = (await git(worktree.dir, ['rev-parse', 'HEAD'])).stdout.trim();
    const largestAfter = await largestOf(worktree.dir, changed);
    keep = true;
    return result('kept', `${outcome.title}; gates passed`, {
      skill: skill.name,
      branch: worktree.branch,
      commit,
      title: outcome.title,
      changedFiles: changed,
      gates,
      diff: await diffStat(ctx.repo.root, ctx.base, commit),
      effect: {
        largestBefore: largestBefore(ctx.analysis, changed),
        largestAfter,
        ...(ctx.gates.baselineTestMs === undefined ? {} : { testMsBefore: ctx.gates.baselineTestMs }),
        ...(checked.testMs === undefined ? {} : { testMsAfter: checked.testMs }),
      },
    });
  } finally {
    await removeWorktree(ctx.repo, worktree, { keepBranch: keep });
  }
}

/**
 * Runs the picked skill; when a codemod finds the candidate is not for it,
 * the next skill that handles it (the model's edit, when configured) gets
 * its turn in the same, untouched worktree.
 */
async function applySkills(
  ctx: TransactionContext,
  candidate: Candidate,
  first: Skill,
  dir: string,
  gates: GateRecord[],
): Promise<
  | { skill: Skill; outcome: SkillOutcome }
  | { failed: string; outcome: 'skipped' | 'rolled_back'; skill: string }
> {
  const tried: Skill['name'][] = [];
  let skill: Skill | undefined = first;
  const reasons: string[] = [];
  while (skill) {
    const started = Date.now();
    try {
      const outcome = await skill.apply({
        dir,
        candidate,
        analysis: ctx.analysis,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.model ? { model: ctx.model } : {}),
      });
      gates.push({ gate: 'apply', ok: true, detail: skill.name, durationMs: Date.now() - started });
      return { skill, outcome };
    } catch (error) {
      const notApplicable = error instanceof SkillNotApplicableError;
      if (!notApplicable && !(error instanceof SkillError)) throw error;
      const reason = notApplicable ? error.reason : error.message;
      gates.push({
        gate: 'apply',
        ok: false,
        detail: `${skill.name}: ${reason}`,
        durationMs: Date.now() - started,
      });
      reasons.push(`${skill.name}: ${reason}`);
      if (!notApplicable) return { failed: reason, outcome: 'rolled_back', skill: skill.name };
      tried.push(skill.name);
      const next = ctx.pickSkill(candidate, tried);
      skill = 'skip' in next ? undefined : next;
    }
  }
  return { failed: reasons.join('; '), outcome: 'skipped', skill: tried.at(-1) ?? candidate.skill };
}

function commitMessage(
  runId: string,
  candidate: Candidate,
  title: string,
  body: string,
  gates: readonly GateRecord[],
): string {
  const checks = gates.map((gate) => `- ${gate.gate}: ${gate.detail}`).join('\n');
  return [
    title,
    '',
    body.trim(),
    '',
    `Why: ${candidate.reason}`,
    '',
    'Checks:',
    checks,
    '',
    `Swarm-Run: ${runId}`,
    `Swarm-Candidate: ${candidate.id}`,
    '',
  ].join('\n');
}

function largestBefore(analysis: RepoAnalysis, paths: readonly string[]): number {
  const wanted = new Set(paths);
  return Math.max(0, ...analysis.files.filter((file) => wanted.has(file.path)).map((file) => file.lines));
}

async function largestOf(dir: string, paths: readonly string[]): Promise<number> {
  let largest = 0;
  for (const path of paths) {
    const text = await readFile(join(dir, path), 'utf8').catch(() => '');
    largest = Math.max(largest, text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  }
  return largest;
}
