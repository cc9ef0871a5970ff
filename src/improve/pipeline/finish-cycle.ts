import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { analyseRepo } from '../analyse/index.js';
import { fastForward } from '../merge/fast-forward.js';
import type { IntegrationResult } from '../merge/integrate.js';
import { renderContext } from '../records/context-file.js';
import { figuresOf } from '../records/figures.js';
import { renderImprovements } from '../records/improvements.js';
import { type RoadmapEntry, renderRoadmap } from '../records/roadmap.js';
import { git } from '../worktree/git.js';
import { OWN_DIR } from '../worktree/repo.js';
import { runBranchPrefix } from '../worktree/worktrees.js';
import type { CandidateResult } from './candidate-result.js';
import type { Cycle } from './cycle.js';
import type { CycleReport, MergeReport } from './options.js';

export const DEFAULT_MERGE_THRESHOLD = 50;
export const RECORD_FILES = {
  roadmap: 'roadmap.md',
  improvements: 'improvements.md',
  context: 'docs/context.md',
};

/**
 * The end of a cycle: the records (roadmap, improvements log, context file)
 * written into the integration result and committed there, the integration
 * branch created, and the target branch fast-forwarded to it when asked
 * (`--merge`) or when enough approved changes are waiting, and only when
 * the result is green. Returns the cycle's report.
 */
export async function finishCycle(
  cycle: Cycle,
  approved: readonly CandidateResult[],
  integration: IntegrationResult | undefined,
  targetHead: string,
): Promise<CycleReport> {
  const { run } = cycle;
  const { repo, options, runId } = run;
  const dir = await cycle.workdir();
  const tip = integration?.tip ?? cycle.base;
  await git(dir, ['checkout', '--quiet', '--force', '--detach', tip]);
  const willMove =
    (integration?.merged.length ?? 0) > 0 &&
    (options.merge === true || approved.length >= (options.mergeThreshold ?? DEFAULT_MERGE_THRESHOLD));
  const merged = new Set(integration?.merged.map((m) => m.candidateId) ?? []);
  const droppedAtMerge = new Map(integration?.dropped.map((d) => [d.candidateId, d.reason]) ?? []);
  const integrationBranch = `${runBranchPrefix(runId)}integration${cycle.cycle > 1 ? `-${cycle.cycle}` : ''}`;
  const after = await analyseRepo(dir, { cacheDir: join(repo.root, OWN_DIR, 'analysis') });
  // The last kept change's test time stands for the result; with none kept, the code is the baseline's.
  const figuresAfter = figuresOf(after, lastTestMs(cycle.ordered()) ?? cycle.baseline?.test?.durationMs);
  const date = new Date().toISOString().slice(0, 10);
  const entries = roadmapEntries(
    cycle,
    merged,
    droppedAtMerge,
    willMove,
    integrationBranch,
    `${runId}#${cycle.cycle}`,
  );
  const read = async (path: string) =>
    existsSync(join(dir, path)) ? readFile(join(dir, path), 'utf8') : undefined;
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  await write(RECORD_FILES.roadmap, renderRoadmap(await read(RECORD_FILES.roadmap), entries));
  const mergedResults = cycle.ordered().filter((r) => merged.has(r.candidateId));
  await write(
    RECORD_FILES.improvements,
    renderImprovements(await read(RECORD_FILES.improvements), {
      runId,
      date,
      target: repo.branch,
      merged: mergedResults,
      noTests: !cycle.commands.test && options.noTests === true,
    }),
  );
  const checks = Object.entries(cycle.commands).map(([purpose, command]) => {
    const ran = cycle.baseline?.[purpose as 'test' | 'lint' | 'typecheck'];
    const state = !ran
      ? 'not run'
      : ran.timedOut
        ? 'timed out'
        : ran.exitCode === 0
          ? 'passes'
          : `exits ${ran.exitCode}`;
    return `${purpose}: \`${command!.argv.join(' ')}\` (${command!.source}); at the run's base it ${state}`;
  });
  await write(
    RECORD_FILES.context,
    renderContext(await read(RECORD_FILES.context), after, figuresAfter, {
      runId,
      date,
      checks,
      open: entries
        .filter((e) => e.status === 'planned' || e.status === 'in progress')
        .map((e) => `${e.id} (${e.status}): ${e.reason}`),
      maxFileLines: cycle.plan?.thresholds.maxFileLines ?? 500,
      maxComplexity: cycle.plan?.thresholds.maxComplexity ?? 15,
    }),
  );
  const final = await cycle.commitRecords(
    Object.values(RECORD_FILES),
    recordsMessage(runId, cycle.cycle, mergedResults),
  );
  await git(repo.root, ['branch', '--force', integrationBranch, final]);
  const target: MergeReport['target'] = { branch: repo.branch, moved: false, from: targetHead };
  if (willMove) {
    const moved = await fastForward(repo.root, repo.branch, targetHead, final);
    if (moved.moved) Object.assign(target, { moved: true, to: moved.to, how: moved.how });
    else target.reason = moved.reason;
  } else {
    target.reason =
      (integration?.merged.length ?? 0) === 0
        ? 'nothing was merged'
        : `not asked to merge (--merge), and ${approved.length} approved change(s) is under the threshold of ${options.mergeThreshold ?? DEFAULT_MERGE_THRESHOLD}; the result is on ${integrationBranch}`;
  }
  return {
    cycle: cycle.cycle,
    base: cycle.base,
    planned: cycle.plan?.candidates ?? [],
    found: cycle.plan?.found ?? 0,
    waiting: cycle.waiting.map(({ candidate, reason }) => ({ id: candidate.id, reason })),
    results: cycle.ordered(),
    merge: {
      integrationBranch,
      tip: final,
      merged: integration?.merged.map((m) => m.branch) ?? [],
      dropped: integration?.dropped ?? [],
      testRuns: integration?.testRuns ?? 0,
      target,
    },
    before: cycle.figuresBefore(),
    after: figuresAfter,
    notes: cycle.notes,
  };
}

function lastTestMs(results: readonly CandidateResult[]): number | undefined {
  return results
    .map((r) => r.effect?.testMsAfter)
    .filter((v) => v !== undefined)
    .at(-1);
}

function roadmapEntries(
  cycle: Cycle,
  merged: ReadonlySet<string>,
  droppedAtMerge: ReadonlyMap<string, string>,
  landsOnTarget: boolean,
  integrationBranch: string,
  run: string,
): RoadmapEntry[] {
  const entries: RoadmapEntry[] = [];
  for (const r of cycle.ordered()) {
    const entry = { id: r.candidateId, skill: r.skill, run };
    if (merged.has(r.candidateId)) {
      entries.push({
        ...entry,
        status: landsOnTarget ? 'done' : 'in progress',
        branch: r.branch ?? '',
        reason: landsOnTarget
          ? `${r.title ?? 'merged'}`
          : `${r.title ?? 'kept'}; merged on ${integrationBranch}, waiting for --merge`,
      });
    } else if (r.outcome === 'kept') {
      const why =
        r.review && !r.review.approved
          ? `review: ${r.review.reasons.join('; ')}`
          : droppedAtMerge.get(r.candidateId);
      entries.push({ ...entry, status: 'dropped', branch: r.branch ?? '', reason: why ?? 'not merged' });
    } else if (r.outcome === 'skipped' && r.gates.length === 0) {
      entries.push({ ...entry, status: 'planned', branch: '', reason: `waiting: ${r.reason}` });
    } else {
      entries.push({ ...entry, status: 'dropped', branch: '', reason: r.reason });
    }
  }
  for (const { candidate, reason } of cycle.waiting) {
    entries.push({
      id: candidate.id,
      skill: candidate.skill,
      status: 'planned',
      branch: '',
      reason: `waiting: ${reason}; ${candidate.reason}`,
      run,
    });
  }
  for (const candidate of cycle.later) {
    entries.push({
      id: candidate.id,
      skill: candidate.skill,
      status: 'planned',
      branch: '',
      reason: `beyond --max this run; ${candidate.reason}`,
      run,
    });
  }
  return entries;
}

function recordsMessage(runId: string, cycle: number, merged: readonly CandidateResult[]): string {
  return [
    `swarm improve: roadmap, improvements log and context for run ${runId} (cycle ${cycle})`,
    '',
    merged.length > 0
      ? `Merged and tested together:\n${merged.map((r) => `- ${r.title ?? r.candidateId} (${r.branch})`).join('\n')}`
      : 'No change was merged in this cycle; the roadmap records what was tried and why it was dropped.',
    '',
    `Swarm-Run: ${runId}`,
    '',
  ].join('\n');
}
