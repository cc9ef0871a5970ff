import type { BudgetLimits } from '../core/budget-ledger.js';
import type { EffectLedger } from '../tools/tool.js';

/** What a workflow step asks of the rest of Swarm: run an agent, or call a tool. */
export interface StepRunner {
  agent(request: AgentStepRequest, signal: AbortSignal): Promise<AgentStepResult>;
  tool(request: ToolStepRequest, signal: AbortSignal): Promise<unknown>;
}

export interface AgentStepRequest {
  runId: string;
  rootNodeId: string;
  tenantId: string;
  workflow: string;
  agent: string;
  task: string;
  /** What is left of the run's budget; the step cannot spend more. */
  budget: BudgetLimits;
  /** Filled in by the runner with what the step spent, whether it succeeded or not. */
  spent: { tokens: number; usd: number };
}

export interface AgentStepResult {
  output: unknown;
}

export interface ToolStepRequest {
  runId: string;
  tool: string;
  args: Record<string, unknown>;
  effects: EffectLedger;
}
