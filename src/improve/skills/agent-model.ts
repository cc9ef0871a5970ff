import type { AgentRunner } from '../../agents/index.js';
import type { CascadeContext } from '../../core/context.js';
import type { SkillModel } from './skill.js';

/** The agent the LLM edit skill asks by default: examples/agents/improver.yaml. */
export const IMPROVER_AGENT = 'improver';

/**
 * A `SkillModel` that runs an agent (its manifest's instructions, model,
 * limits) through the agents layer: each call is a delegation from `ctx`, so
 * depth, cycle, budget, deadline and cancellation guards apply and the run's
 * events record it. Answers the agent's final text.
 */
export function agentSkillModel(options: {
  runner: AgentRunner;
  ctx: CascadeContext;
  agent?: string;
}): SkillModel {
  const agent = options.agent ?? IMPROVER_AGENT;
  return async (task) => {
    const child = options.ctx.child({ agent, task });
    try {
      return (await options.runner.run(child, task)).output;
    } finally {
      child.release();
    }
  };
}
