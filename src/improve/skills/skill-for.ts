import type { Candidate } from '../plan/index.js';
import { lazyLoadSkill } from './lazy-load-skill.js';
import { llmEditSkill } from './llm-edit-skill.js';
import type { Skill, SkillKind } from './skill.js';
import { splitFileSkill } from './split-file-skill.js';

/** Codemods first: they need no model and are deterministic. */
const CODEMODS: readonly Skill[] = [splitFileSkill, lazyLoadSkill];

export interface SkillChoice {
  /** Whether a model is configured; without one only codemods are chosen. */
  modelAvailable: boolean;
  /** Only these skills (default: all). A pipeline whose codemod refused a candidate asks again without it. */
  only?: readonly SkillKind[];
}

/**
 * The skill that carries out a candidate: the deterministic codemod that
 * handles it (split-file and lazy-load on TypeScript and JavaScript) if one does, else the
 * model-driven edit when a model is configured, else none.
 */
export function skillFor(candidate: Candidate, choice: SkillChoice): Skill | undefined {
  const allowed = (skill: Skill) => !choice.only || choice.only.includes(skill.name);
  const codemod = CODEMODS.find((skill) => allowed(skill) && skill.handles(candidate));
  if (codemod) return codemod;
  return choice.modelAvailable && allowed(llmEditSkill) && llmEditSkill.handles(candidate)
    ? llmEditSkill
    : undefined;
}
