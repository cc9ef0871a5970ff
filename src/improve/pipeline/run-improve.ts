import { join } from 'node:path';
import type { EventBus } from '../../core/events.js';
import { newId } from '../../core/ids.js';
import { openBackend } from '../../engine/open-backend.js';
import { WorkflowEngine } from '../../workflows/index.js';
import { planMarkdown } from '../plan/index.js';
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
  const runId = newId('imp');
  const worktreeRoot = defaultWorktreeRoot(runId);
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
    onCandidate: (r) => emitCandidate(events, runId, r),
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
  } finally {
    await updateRunState(repo.root, runId, { status: 'finished', phase: 'done' });
  }
}

async function runCycles(ctx: RunContext, report: ImproveReport, events?: EventBus): Promise<void> {
  const { options, repo } = ctx;
  const workers = Math.max(1, options.workers ?? DEFAULT_WORKERS);
  const engineUrl = options.engine ?? `sqlite:${join(repo.root, OWN_DIR, 'improve', 'engine.db')}`;
  const backend = await openBackend(engineUrl);
  const slots = new Map<string, CycleSlot>();
  const engine = await WorkflowEngine.open(backend, improveStepRunner(slots), events ? { events } : {});
  const worker = engine.worker(workers).start();
  report.execution = `workflow "${IMPROVE_WORKFLOW.name}" on the engine (${engineUrl.split(':')[0]}), ${workers} worker(s) in this process`;
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
        events,
        ctx.runId,
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
  }
}

function describeCommands(cycle: Cycle): Record<string, string> {
  return Object.fromEntries(
    Object.entries(cycle.commands).map(([purpose, c]) => [purpose, `${c!.argv.join(' ')} (${c!.source})`]),
  );
}

function emitCandidate(events: EventBus | undefined, runId: string, r: CandidateResult): void {
  events?.emit({
    type: 'improve.candidate',
    runId,
    nodeId: runId,
    agent: 'improve',
    depth: 0,
    ts: Date.now(),
    data: {
      runId,
      candidateId: r.candidateId,
      skill: r.skill,
      outcome: r.outcome,
      reason: r.reason,
      ...(r.branch ? { branch: r.branch } : {}),
    },
  });
}

function emitMerge(
  events: EventBus | undefined,
  runId: string,
  target: string,
  merged: string[],
  dropped: string[],
  outcome: 'fast_forwarded' | 'integrated' | 'nothing_merged',
): void {
  events?.emit({
    type: 'improve.merge',
    runId,
    nodeId: runId,
    agent: 'improve',
    depth: 0,
    ts: Date.now(),
    data: { runId, target, merged, dropped, outcome },
  });
}
