import { z } from 'zod';
import { type AgentRunner, executeRun } from '../agents/index.js';
import { errorMessage } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { Paper } from './atom-feed.js';
import { SummaryError } from './errors.js';
import { extractiveSummary, type PaperSummary, type Summariser, type SummaryContext } from './summary.js';

/** The agent's answer, checked again here: the manifest's schema is the agent's, this is the boundary. */
const summarySchema = z.object({
  problem: z.string().min(1),
  method: z.string().min(1),
  result: z.string().min(1),
  impact: z.string().min(1),
});

export interface AgentSummariserOptions {
  runner: AgentRunner;
  events: EventBus;
  /** The summariser agent's name (its manifest has the output schema above). */
  agent: string;
  /** For the label: the model it runs on. */
  model: string;
  timeoutSeconds?: number;
  /** When the model fails on one paper: fall back to an extractive summary (labelled), or stop. */
  onFailure?: 'extractive' | 'throw';
}

/**
 * Structured summaries (problem, method, result, what it would change in
 * the target project) written by an agent, so every call goes through the
 * model layer: budget, retries, cost, and a run recorded in the store.
 */
export class AgentSummariser implements Summariser {
  readonly label: string;

  constructor(private readonly options: AgentSummariserOptions) {
    this.label = `${options.agent} (${options.model})`;
  }

  async summarise(paper: Paper, context: SummaryContext): Promise<PaperSummary> {
    const outcome = await executeRun({
      agent: this.options.agent,
      task: summaryTask(paper, context),
      events: this.options.events,
      runner: this.options.runner,
      ...(this.options.timeoutSeconds ? { timeoutSeconds: this.options.timeoutSeconds } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
    });
    let failure: string;
    if (outcome.outcome === 'succeeded') {
      const parsed = summarySchema.safeParse(outcome.structured ?? parseJson(outcome.output));
      if (parsed.success) return { kind: 'model', by: this.label, ...parsed.data };
      failure = `the answer lacks ${parsed.error.issues.map((i) => i.path.join('.') || 'an object').join(', ')}`;
    } else {
      if (outcome.outcome === 'cancelled') throw outcome.error;
      failure = errorMessage(outcome.error);
    }
    if (this.options.onFailure === 'throw') throw new SummaryError(`arXiv:${paper.id}`, failure);
    return extractiveSummary(paper, `the model summary failed: ${failure}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function summaryTask(paper: Paper, context: SummaryContext): string {
  const modules = context.modules.length
    ? context.modules.map((m) => `- ${m.module}: ${m.description}`).join('\n')
    : '- (no module stood out; say where in the project it would fit, if anywhere)';
  return [
    `Summarise this paper for the maintainers of the project "${context.project}".`,
    '',
    `Title: ${paper.title}`,
    `arXiv: ${paper.id}v${paper.version} (${paper.primaryCategory ?? paper.categories.join(', ')})`,
    `Authors: ${paper.authors.map((a) => a.name).join(', ')}`,
    '',
    'Abstract:',
    paper.abstract,
    '',
    'Modules of the project it may concern:',
    modules,
    '',
    'Answer with problem, method, result (one or two sentences each, from the abstract only)',
    'and impact: what it would change in this project, concretely, naming the module.',
  ].join('\n');
}
