import type { Runtime } from '../agents/runtime.js';
import { CascadeContext } from '../core/context.js';
import { errorMessage } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { PermanentTaskError } from '../engine/worker.js';
import { clipText } from '../observe/clip-text.js';
import type { StepRunner } from './step-runner.js';

/** As much of a tool step's arguments and result as its tool.call event keeps. */
const EVENT_TEXT_LIMIT = 2_000;

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
      const callId = newId('call');
      const started = performance.now();
      const record = (ok: boolean, result: string) =>
        // tool steps report like agents' tool calls, so metrics, traces and the audit log see them
        ctx.emit('tool.call', {
          tool: request.tool,
          callId,
          args: clipText(JSON.stringify(parsed.data) ?? '', EVENT_TEXT_LIMIT),
          ok,
          result: clipText(result, EVENT_TEXT_LIMIT),
          latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        });
      try {
        const value = await tool.execute(parsed.data, {
          ctx,
          signal,
          workspace: runtime.workspace,
          callId,
          effects: request.effects,
        });
        record(true, typeof value === 'string' ? value : (JSON.stringify(value) ?? 'done'));
        return value;
      } catch (error) {
        record(false, `Error: ${errorMessage(error)}`);
        throw error;
      } finally {
        ctx.release();
      }
    },
  };
}
