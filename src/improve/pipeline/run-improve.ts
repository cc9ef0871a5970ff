import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CascadeContext } from '../../core/context.js';
import { isSwarmError } from '../../core/errors.js';
import { EventBus, type Outcome } from '../../core/events.js';
import { newId } from '../../core/ids.js';
import { openBackend } from '../../engine/open-backend.js';
import { WorkflowEngine } from '../../workflows/index.js';
import { planMarkdown } from '../plan/index.js';
import { git } from '../worktree/git.js';
import { checkClean, excludeOwnDir, OWN_DIR, openRepo } from '../worktree/repo.js';
import { newRunState, updateRunState, writeRunState } from '../worktree/run-state.js';
import { defaultWorktreeRoot, reclaim } from '../worktree/worktrees.js';
import type { CandidateResult } from './candidate-result.js';
import { Cycle, type RunContext } from './cycle.js';
import { ImproveCancelledError, ImproveStepFailedError } from './errors.js';
import { type CycleSlot, IMPROVE_WORKFLOW, improveStepRunner } from './improve-workflow.js';
import type { ImproveOptions, ImproveReport } from './options.js';
import { writeRunReport } from './run-report.js';

export const DEFAULT_WORKERS = 2;

/**
 * `swarm improve`: refuses what it must (not a repository, uncommitted
 * changes without --allow-dirty), reclaims what killed runs left, then runs
 * up to `cycles` cycles of the improve workflow on the engine, each from the
 * previous cycle's merged result, stopping early when a cycle merges
 * nothing. Writes the run report under `.swarm/improve/reports/`.
 */
export async function runImprove(options: ImproveOptions, events?: EventBus): Promise<ImproveReport> {
  const startedAt = new Date().toISOString();
  const repo = await openRepo(options.repo, options.target);
  const untouchedChanges = await checkClean(repo, (options.allowDirty ?? false) || (options.dryRun ?? false));
  await excludeOwnDir(repo);
  const reclaimed = await reclaim(repo);
  for (const dead of reclaimed.runs) await removeEngine(repo.root, dead);
  const runId = newId('imp');
  const worktreeRoot = defaultWorktreeRoot(runId);
  // The run's root in the event log: model calls hang under it, improve events are recorded against it.
  const root = CascadeContext.createRun({
    agent: 'improve',
    task: `improve ${repo.root} (${repo.branch})`,
    runId,
    events: events ?? new EventBus(),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const progress = options.onProgress ?? (() => {});
  if (reclaimed.runs.length > 0) {
    progress({
      kind: 'note',
      message: `reclaimed ${reclaimed.worktrees} worktree(s) and ${reclaimed.branches} branch(es) left by killed run(s) ${reclaimed.runs.join(', ')}`,
    });
  }
  const ctx: RunContext = {
    repo,
    runId,
    worktreeRoot,
    options,
    progress,
    ctx: root,
    onCandidate: (r) => emitCandidate(root, r),
  };
  const report: ImproveReport = {
    runId,
    repo: repo.root,
    target: repo.branch,
    startedAt,
    finishedAt: startedAt,
    dryRun: options.dryRun ?? false,
    noTests: options.noTests ?? false,
    allowDirty: options.allowDirty ?? false,
    untouchedChanges,
    commands: {},
    execution: '',
    cycles: [],
    reclaimed: { runs: reclaimed.runs, worktrees: reclaimed.worktrees, branches: reclaimed.branches },
    files: { markdown: '', json: '' },
  };
  await writeRunState(repo.root, newRunState(runId, worktreeRoot));
  root.emit('run.started', { task: root.describeLineage(), tenantId: root.tenantId, budget: {} });
  root.emit('agent.started', { task: `improve ${repo.root}`, fingerprint: root.fingerprint });
  let failure: unknown;
  try {
    if (options.dryRun) {
      const cycle = new Cycle(ctx, 1, repo.head);
      try {
        await cycle.analyse();
        const plan = await cycle.makePlan();
        report.planMarkdown = planMarkdown(plan);
        report.commands = describeCommands(cycle);
        report.execution = 'dry run: analysed and planned in this process; nothing applied';
      } finally {
        await cycle.dispose();
      }
      report.finishedAt = new Date().toISOString();
      return report;
    }
    await runCycles(ctx, report, events);
    report.finishedAt = new Date().toISOString();
    report.files = await writeRunReport(join(repo.root, OWN_DIR, 'improve', 'reports'), report);
    return report;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // Every worktree of the run is gone by now (each step removes its own); the folder goes too.
    await rm(worktreeRoot, { recursive: true, force: true });
    await git(repo.root, ['worktree', 'prune']);
    await updateRunState(repo.root, runId, { status: 'finished', phase: 'done' });
    finishRoot(root, failure, report);
  }
}

async function runCycles(ctx: RunContext, report: ImproveReport, events?: EventBus): Promise<void> {
  const { options, repo } = ctx;
  const workers = Math.max(1, options.workers ?? DEFAULT_WORKERS);
  // The engine is the run's own: its steps act on state held in this process (the analysis, the
  // baseline, the worktrees), so no other run's or machine's workers may claim them.
  const engineFile = engineFileOf(repo.root, ctx.runId);
  await mkdir(dirname(engineFile), { recursive: true });
  const backend = await openBackend(`sqlite:${engineFile}`);
  const slots = new Map<string, CycleSlot>();
  const engine = await WorkflowEngine.open(backend, improveStepRunner(slots), events ? { events } : {});
  const worker = engine.worker(workers).start();
  report.execution = `workflow "${IMPROVE_WORKFLOW.name}" on the embedded SQLite engine, ${workers} worker(s) in this process`;
  let base = repo.head;
  let targetHead = repo.head;
  try {
    for (let k = 1; k <= Math.max(1, options.cycles ?? 1); k++) {
      const cycle = new Cycle(ctx, k, base);
      const workflowRun = `${ctx.runId}.c${k}`;
      slots.set(workflowRun, { cycle, targetHead });
      ctx.progress({ kind: 'cycle', cycle: k, base });
      await updateRunState(repo.root, ctx.runId, { phase: `cycle ${k}` });
      try {
        await engine.start(IMPROVE_WORKFLOW, { runId: workflowRun });
        const settled = await engine.settled(workflowRun, options.signal);
        if (options.signal?.aborted) throw new ImproveCancelledError(ctx.runId);
        if (settled.status !== 'succeeded') {
          throw new ImproveStepFailedError(
            ctx.runId,
            settled.error ?? `the workflow ended ${settled.status}`,
          );
        }
      } finally {
        slots.delete(workflowRun);
        await cycle.dispose();
      }
      const cycleReport = cycle.report!;
      report.cycles.push(cycleReport);
      report.commands = describeCommands(cycle);
      const merge = cycleReport.merge!;
      emitMerge(
        ctx.ctx,
        merge.target.branch,
        merge.merged,
        merge.dropped.map((d) => d.branch),
        merge.target.moved ? 'fast_forwarded' : merge.merged.length > 0 ? 'integrated' : 'nothing_merged',
      );
      if (merge.target.moved && merge.target.to) targetHead = merge.target.to;
      if (merge.merged.length === 0) break;
      base = merge.tip;
    }
  } finally {
    await worker.stop(options.signal?.aborted ? 2_000 : 10_000);
    await backend.close();
    await removeEngine(repo.root, ctx.runId);
  }
}

function engineFileOf(root: string, runId: string): string {
  return join(root, OWN_DIR, 'improve', 'engine', `${runId}.db`);
}

async function removeEngine(root: string, runId: string): Promise<void> {
  const file = engineFileOf(root, runId);
  for (const suffix of ['', '-wal', '-shm']) await rm(`${file}${suffix}`, { force: true });
}

function describeCommands(cycle: Cycle): Record<string, string> {
  return Object.fromEntries(
    Object.entries(cycle.commands).map(([purpose, c]) => [purpose, `${c!.argv.join(' ')} (${c!.source})`]),
  );
}

function finishRoot(root: CascadeContext, failure: unknown, report: ImproveReport): void {
  const outcome: Outcome =
    failure === undefined ? 'succeeded' : failure instanceof ImproveCancelledError ? 'cancelled' : 'failed';
  const summary = report.cycles
    .map(
      (c) =>
        `cycle ${c.cycle}: ${c.results.filter((r) => r.outcome === 'kept').length} kept, ${c.merge?.merged.length ?? 0} merged`,
    )
    .join('; ');
  const end =
    failure === undefined
      ? { outcome, output: summary || 'planned only' }
      : {
          outcome,
          error: failure instanceof Error ? failure.message : String(failure),
          ...(isSwarmError(failure) ? { errorCode: failure.code } : {}),
        };
  root.emit('agent.finished', end);
  root.emit('run.finished', end);
  root.release();
}

function emitCandidate(root: CascadeContext, r: CandidateResult): void {
  const { runId } = root;
  root.emit('improve.candidate', {
    runId,
    candidateId: r.candidateId,
    skill: r.skill,
    outcome: r.outcome,
    reason: r.reason,
    ...(r.branch ? { branch: r.branch } : {}),
  });
}

function emitMerge(
  root: CascadeContext,
  target: string,
  merged: string[],
  dropped: string[],
  outcome: 'fast_forwarded' | 'integrated' | 'nothing_merged',
): void {
  root.emit('improve.merge', { runId: root.runId, target, merged, dropped, outcome });
}
