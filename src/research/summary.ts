import type { Paper } from './atom-feed.js';

/** A structured summary written by a model. */
export interface ModelSummary {
  kind: 'model';
  /** Who wrote it: `agent (model)`. */
  by: string;
  problem: string;
  method: string;
  result: string;
  /** What the paper would change in the target project. */
  impact: string;
}

/** Sentences picked from the abstract, verbatim, when no model is configured (or the model failed). */
export interface ExtractiveSummary {
  kind: 'extractive';
  sentences: string[];
  /** Why no model summary: none configured, or the model's error. */
  reason: string;
}

export type PaperSummary = ModelSummary | ExtractiveSummary;

export interface SummaryContext {
  /** The target project's name (its folder). */
  project: string;
  /** The modules the paper maps to, with a line about each. */
  modules: { module: string; description: string }[];
  signal?: AbortSignal;
}

export interface Summariser {
  readonly label: string;
  summarise(paper: Paper, context: SummaryContext): Promise<PaperSummary>;
}

const CUES =
  /\b(we (propose|present|introduce|show|find|demonstrate|develop|describe|study|argue)|this (paper|work|article)|results?|outperform|improv|achiev|reduc|faster|accura)/i;
const ABBREVIATION = /\b(e\.g|i\.e|et al|vs|cf|Fig|Eq|resp|approx|Dr|Prof)\.$/i;

/** Splits prose into sentences without cutting at "e.g.", "et al." or decimals. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const re = /[.!?](?=\s+[A-Z0-9("']|\s*$)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const candidate = text.slice(start, m.index + 1).trim();
    if (ABBREVIATION.test(candidate)) continue;
    if (candidate) out.push(candidate);
    start = m.index + 1;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/**
 * The abstract's first sentence (it usually states the problem) and the
 * sentences that say what was done and found (cue phrases such as "we
 * propose", "results", "outperforms"), in their original order.
 */
export function extractiveSummary(paper: Paper, reason: string, max = 3): ExtractiveSummary {
  const all = sentences(paper.abstract);
  const scored = all.map((s, i) => ({
    i,
    score: (i === 0 ? 2 : 0) + (CUES.test(s) ? 1.5 : 0) + (i === all.length - 1 ? 0.5 : 0) - i * 0.05,
  }));
  const picked = scored
    .sort((a, b) => b.score - a.score)
    .slice(0, max)
    .sort((a, b) => a.i - b.i)
    .map((s) => all[s.i]!);
  return { kind: 'extractive', sentences: picked, reason };
}

/** Used when no model is configured; `reason` is shown in every note. */
export class ExtractiveSummariser implements Summariser {
  readonly label: string;
  constructor(private readonly reason = 'no model is configured') {
    this.label = `extractive: ${reason}`;
  }
  async summarise(paper: Paper): Promise<PaperSummary> {
    return extractiveSummary(paper, this.reason);
  }
}
