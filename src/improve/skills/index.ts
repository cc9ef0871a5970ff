export { EditRejectedError, ModelRequiredError, SkillError, SkillNotApplicableError } from './errors.js';
export {
  SKILL_KINDS,
  type Skill,
  type SkillInput,
  type SkillKind,
  type SkillModel,
  type SkillOutcome,
} from './skill.js';
export { type SkillChoice, skillFor } from './skill-for.js';
export { splitFileSkill } from './split-file-skill.js';
