/** The skills a candidate can be handed to. */
export const SKILLS = ['split-file', 'extract-duplicate', 'lazy-load', 'simplify'] as const;
export type SkillName = (typeof SKILLS)[number];

export interface CandidateLocation {
  path: string;
  startLine?: number;
  endLine?: number;
  /** A function or import the change is about. */
  symbol?: string;
}

/** One improvement worth trying, with what it is expected to bring and to risk. */
export interface Candidate {
  /** Stable across runs of an unchanged repository: `split-file:src/big.ts`. */
  id: string;
  skill: SkillName;
  target: CandidateLocation;
  /** Other places involved: the other copies of a duplicate. */
  related: CandidateLocation[];
  /** One sentence a person reads in the plan. */
  reason: string;
  /** The measurements behind it (lines, threshold, complexity, tokens, bytes...). */
  figures: Record<string, number>;
  /** Expected benefit, 0 to 1. */
  value: number;
  /** Chance the change fails its gates or harms, 0 to 1. */
  risk: number;
  /** `value × (1 − risk)`: what the plan ranks by. */
  score: number;
  /** Whether the skill needs a language model (no deterministic codemod handles it). */
  needsModel: boolean;
}

export function scored(candidate: Omit<Candidate, 'score'>): Candidate {
  const value = clamp(candidate.value);
  const risk = clamp(candidate.risk);
  return { ...candidate, value, risk, score: value * (1 - risk) };
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Test code: improving it is worth less than improving what ships. */
export function isTestFile(path: string): boolean {
  return (
    /(^|\/)(tests?|__tests__|testdata)\//.test(path) ||
    /[._-](test|spec)\.[^/]+$|(^|\/)test_[^/]+\.py$|_test\.go$/.test(path)
  );
}
