export type CandidateOutcome = 'kept' | 'rolled_back' | 'skipped';

/** What a named gate found; `ok: false` is why a candidate was rolled back. */
export interface GateRecord {
  gate: 'apply' | 'lint' | 'typecheck' | 'test' | 'review';
  ok: boolean;
  detail: string;
  durationMs: number;
}

/** What happened to one candidate: the row of the report and of the roadmap. */
export interface CandidateResult {
  candidateId: string;
  /** The skill that ran, or the kind the plan named when none could. */
  skill: string;
  outcome: CandidateOutcome;
  reason: string;
  /** The kept branch (`swarm/<run>/<slug>`); absent when nothing was kept. */
  branch?: string;
  commit?: string;
  title?: string;
  changedFiles: string[];
  gates: GateRecord[];
  /** Lines added and removed by the kept commit. */
  diff?: { files: number; added: number; removed: number };
  /** Largest file in lines before and after, over the files the change touched. */
  effect?: { largestBefore: number; largestAfter: number; testMsBefore?: number; testMsAfter?: number };
  review?: { approved: boolean; reasons: string[]; by: string[] };
  durationMs: number;
}
