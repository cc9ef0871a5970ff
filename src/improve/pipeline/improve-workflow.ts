import { PermanentTaskError } from '../../engine/worker.js';
import type { StepRunner, WorkflowDefinition } from '../../workflows/index.js';
import type { IntegrationResult } from '../merge/integrate.js';
import type { CandidateResult } from './candidate-result.js';
import type { Cycle } from './cycle.js';
import { finishCycle } from './finish-cycle.js';

/**
 * One cycle of `swarm improve` as a workflow on the engine: analyse, then
 * plan and the baseline side by side, then one `apply` task per candidate
 * (a foreach, so the engine's workers take candidates in parallel), then
 * review, merge and records. Every step is a tool step of this file's runner;
 * a failed gate is a candidate's outcome, not a step failure, so no step is
 * retried.
 */
export const IMPROVE_WORKFLOW: WorkflowDefinition = {
  name: 'improve',
  description: 'analyse → plan → apply each candidate in its own worktree → review → merge → records',
  input: {},
  steps: [
    { id: 'analyse', tool: 'improve.analyse', args: {}, needs: [], retries: 0 },
    { id: 'plan', tool: 'improve.plan', args: {}, needs: ['analyse'], retries: 0 },
    { id: 'baseline', tool: 'improve.baseline', args: {}, needs: ['analyse'], retries: 0 },
    {
      id: 'apply',
      foreach: 'steps.plan.output.candidates',
      do: { tool: 'improve.apply', args: { candidate: '${{ item.id }}' } },
      needs: ['plan', 'baseline'],
      retries: 0,
    },
    { id: 'review', tool: 'improve.review', args: {}, needs: ['apply'], retries: 0 },
    { id: 'merge', tool: 'improve.merge', args: {}, needs: ['review'], retries: 0 },
    { id: 'records', tool: 'improve.records', args: {}, needs: ['merge'], retries: 0 },
  ],
};

/** What the workflow's steps act on, kept in this process for the length of the cycle. */
export interface CycleSlot {
  cycle: Cycle;
  targetHead: string;
  approved?: CandidateResult[];
  integration?: IntegrationResult;
}

/**
 * The step runner of the improve workflow. Cycles are registered by workflow
 * run id; each step's output is a small JSON summary for the checkpoint,
 * while the analysis and the baseline stay in the cycle object.
 */
export function improveStepRunner(slots: ReadonlyMap<string, CycleSlot>): StepRunner {
  return {
    agent() {
      return Promise.reject(new PermanentTaskError('the improve workflow has no agent steps'));
    },
    async tool(request) {
      const slot = slots.get(request.runId);
      if (!slot)
        throw new PermanentTaskError(
          `no improve cycle is open for workflow run ${request.runId} in this process`,
        );
      const { cycle } = slot;
      switch (request.tool) {
        case 'improve.analyse': {
          const analysis = await cycle.analyse();
          return {
            files: analysis.totals.files,
            lines: analysis.totals.lines,
            elapsedMs: Math.round(analysis.stats.elapsedMs),
          };
        }
        case 'improve.plan': {
          const plan = await cycle.makePlan();
          return {
            found: plan.found,
            candidates: plan.candidates.map((c) => ({ id: c.id, skill: c.skill })),
          };
        }
        case 'improve.baseline': {
          const baseline = await cycle.takeBaseline();
          return {
            elapsedMs: baseline.elapsedMs,
            test: baseline.test
              ? { passed: baseline.test.passed, durationMs: baseline.test.durationMs }
              : null,
          };
        }
        case 'improve.apply': {
          const id = request.args.candidate;
          if (typeof id !== 'string') throw new PermanentTaskError('improve.apply needs a candidate id');
          const r = await cycle.apply(id);
          return {
            candidateId: r.candidateId,
            outcome: r.outcome,
            reason: r.reason,
            branch: r.branch ?? null,
          };
        }
        case 'improve.review': {
          slot.approved = await cycle.review();
          return { approved: slot.approved.map((r) => r.branch) };
        }
        case 'improve.merge': {
          if ((slot.approved ?? []).length > 0) slot.integration = await cycle.integrate(slot.approved!);
          return {
            merged: slot.integration?.merged.map((m) => m.branch) ?? [],
            dropped: slot.integration?.dropped ?? [],
          };
        }
        case 'improve.records': {
          cycle.report = await finishCycle(cycle, slot.approved ?? [], slot.integration, slot.targetHead);
          return { tip: cycle.report.merge?.tip, target: cycle.report.merge?.target };
        }
        default:
          throw new PermanentTaskError(`unknown improve step tool "${request.tool}"`);
      }
    },
  };
}
