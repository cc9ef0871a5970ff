export { agentSkillModel, IMPROVER_AGENT } from './agent-model.js';
export { DEFAULT_CODE_TOKENS, EDIT_FORMAT_RULES, type EditTaskOptions, editTask } from './edit-task.js';
export { EditRejectedError, ModelRequiredError, SkillError, SkillNotApplicableError } from './errors.js';
export { lazyLoadSkill } from './lazy-load-skill.js';
export { llmEditSkill } from './llm-edit-skill.js';
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
