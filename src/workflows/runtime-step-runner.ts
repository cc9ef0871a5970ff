import type { Runtime } from '../agents/runtime.js';
import { CascadeContext } from '../core/context.js';
import { newId } from '../core/ids.js';
import { PermanentTaskError } from '../engine/worker.js';
import type { StepRunner } from './step-runner.js';

/**
 * Runs workflow steps with the agent runtime of this process. Every agent
 * step hangs under the run's root node, with a context whose budget is what
 * the run has left, so the run's guards and budget hold across steps and
 * across the workers that run them.
 */
export function runtimeStepRunner(runtime: Runtime): StepRunner {
  return {
    async agent(request, signal) {
      const root = CascadeContext.createRun({
        agent: `workflow:${request.workflow}`,
        task: `workflow ${request.workflow} run ${request.runId}`,
        runId: request.runId,
        rootNodeId: request.rootNodeId,
        tenantId: request.tenantId,
        budget: request.budget,
        events: runtime.events,
        signal,
      });
      try {
        const child = root.child({ agent: request.agent, task: request.task });
        try {
          const result = await runtime.runner.run(child, request.task);
          return { output: result.structured ?? result.output };
        } finally {
          child.release();
        }
      } finally {
        const { committed } = root.ledger.snapshot();
        request.spent.tokens = committed.tokens;
        request.spent.usd = committed.usd;
        root.release();
      }
    },
    async tool(request, signal) {
      const tool = runtime.tools.get(request.tool);
      if (!tool) {
        throw new PermanentTaskError(
          `unknown tool "${request.tool}"; available: ${[...runtime.tools.keys()].join(', ')}`,
        );
      }
      const parsed = tool.input.safeParse(request.args);
      if (!parsed.success) {
        const issues = parsed.error.issues
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ');
        throw new PermanentTaskError(`invalid arguments for tool ${request.tool}: ${issues}`);
      }
      const ctx = CascadeContext.createRun({
        agent: 'workflow',
        task: `tool ${request.tool}`,
        runId: request.runId,
        events: runtime.events,
        signal,
      });
      try {
        return await tool.execute(parsed.data, {
          ctx,
          signal,
          workspace: runtime.workspace,
          callId: newId('call'),
          effects: request.effects,
        });
      } finally {
        ctx.release();
      }
    },
  };
}
