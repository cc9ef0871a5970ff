import { type AnalyseOptions, analyseRepo, type RepoAnalysis } from '../analyse/index.js';
import { type Plan, type PlanOptions, planImprovements } from './plan-improvements.js';
import { planMarkdown } from './plan-markdown.js';

export interface DryRunResult {
  analysis: RepoAnalysis;
  plan: Plan;
  markdown: string;
}

/** `swarm improve --dry-run`: analyse, plan, and stop, returning the plan as data and as Markdown. */
export async function dryRun(
  root: string,
  options: { analyse?: AnalyseOptions; plan?: PlanOptions } = {},
): Promise<DryRunResult> {
  const analysis = await analyseRepo(root, options.analyse);
  const plan = await planImprovements(analysis, options.plan);
  return { analysis, plan, markdown: planMarkdown(plan) };
}
