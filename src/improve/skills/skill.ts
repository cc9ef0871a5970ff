import type { RepoAnalysis } from '../analyse/index.js';
import type { Candidate } from '../plan/index.js';

/**
 * The skills that exist: the deterministic codemods (TypeScript and
 * JavaScript, no model) and the model-driven edit, which takes any candidate.
 */
export const SKILL_KINDS = ['split-file', 'lazy-load', 'llm-edit'] as const;
export type SkillKind = (typeof SKILL_KINDS)[number];

/**
 * How an LLM skill asks a model: one task in, the model's final text out.
 * The system prompt is the agent manifest's instructions (the `improver`
 * agent, examples/agents/improver.yaml), so the model, its limits and its
 * budget come from the agents layer like any other agent's. The pipeline
 * builds one with `agentSkillModel` (skills/agent-model.ts) from an
 * `AgentRunner` and the candidate's `CascadeContext`; each call is a child of
 * that context, so depth, budget, deadline and cancellation guards apply.
 * Tests build it the same way against the simulator.
 */
export type SkillModel = (task: string) => Promise<string>;

export interface SkillInput {
  /** The git worktree to edit. A skill writes only inside it and never runs git. */
  dir: string;
  candidate: Candidate;
  /** The analysis of the repository at the worktree's base commit. */
  analysis: RepoAnalysis;
  signal?: AbortSignal;
  /** Absent when no model is configured; skills with `needsModel` then throw `ModelRequiredError`. */
  model?: SkillModel;
}

/** What a skill changed. `title` and `body` are the commit message: what changed and why. */
export interface SkillOutcome {
  /** Relative to `dir`, `/`-separated: every file written, created or deleted. */
  changedFiles: string[];
  title: string;
  body: string;
}

/**
 * One way of carrying out a candidate. `apply` either changes the worktree
 * and says what it changed, or throws a `SkillError` subclass having left the
 * worktree as it found it.
 */
export interface Skill {
  readonly name: SkillKind;
  readonly needsModel: boolean;
  handles(candidate: Candidate): boolean;
  apply(input: SkillInput): Promise<SkillOutcome>;
}
