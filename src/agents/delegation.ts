import { z } from 'zod';
import type { CascadeContext } from '../core/context.js';
import { defineTool, type Tool } from '../tools/tool.js';
import type { AgentManifest } from './manifest.js';

export const delegationInput = z.object({
  task: z
    .string()
    .min(1)
    .describe('The sub-task, self-contained: the other agent sees only this text, not your conversation.'),
});

export type RunChild = (ctx: CascadeContext, task: string) => Promise<{ output: string }>;

/** Delegation tools are named after the agent they call, so the model reads them as a verb. */
export function delegationToolName(agent: string): string {
  return `delegate_to_${agent.replace(/-/g, '_')}`;
}

/**
 * Makes an agent callable as a tool of another. The child runs under
 * `ctx.child()`, so the lineage guards decide whether it may start at all; a
 * refusal (depth, cycle) goes back to the calling model as a tool error it
 * can act on.
 */
export function delegationTool(target: AgentManifest, runChild: RunChild): Tool<typeof delegationInput> {
  return defineTool({
    name: delegationToolName(target.name),
    description: `Delegate a task to the "${target.name}" agent: ${target.description}`,
    input: delegationInput,
    sideEffects: false,
    async execute({ task }, { ctx }) {
      const child = ctx.child({
        agent: target.name,
        task,
        ...(target.limits.maxDepth === undefined ? {} : { maxDepth: ctx.depth + 1 + target.limits.maxDepth }),
        ...(target.limits.timeoutSeconds === undefined
          ? {}
          : { deadline: Date.now() + target.limits.timeoutSeconds * 1000 }),
      });
      ctx.emit('delegation', { to: target.name, childNodeId: child.nodeId, task });
      try {
        return (await runChild(child, task)).output;
      } finally {
        child.release();
      }
    },
  });
}
