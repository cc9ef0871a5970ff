import { isCodemodPath, splitFile } from '../codemods/index.js';
import type { Candidate } from '../plan/index.js';
import type { Skill, SkillInput, SkillOutcome } from './skill.js';

/** The deterministic split of a TypeScript or JavaScript file over the size threshold. */
export const splitFileSkill: Skill = {
  name: 'split-file',
  needsModel: false,
  handles: (candidate: Candidate) => candidate.skill === 'split-file' && isCodemodPath(candidate.target.path),
  async apply({ dir, candidate, analysis, signal }: SkillInput): Promise<SkillOutcome> {
    signal?.throwIfAborted();
    const maxLines = candidate.figures.threshold;
    return splitFile(dir, candidate.target.path, analysis, maxLines ? { maxLines } : {});
  },
};
