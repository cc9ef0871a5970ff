import { SKILL_KINDS, type SkillKind, skillFor } from '../skills/index.js';
import type { SkillPicker } from './options.js';

/** The skills folder's choice, limited to `only` (default all) and leaving out skills that refused the candidate. */
export function skillPicker(only: readonly SkillKind[] = SKILL_KINDS): SkillPicker {
  return (candidate, modelAvailable, exclude) =>
    skillFor(candidate, { modelAvailable, only: only.filter((kind) => !exclude.includes(kind)) });
}
