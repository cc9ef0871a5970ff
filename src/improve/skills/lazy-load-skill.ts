import { isCodemodPath, lazyLoadImport } from '../codemods/index.js';
import type { Candidate } from '../plan/index.js';
import type { Skill, SkillInput, SkillOutcome } from './skill.js';

/** The deterministic move of an eager import into the async functions that use it. */
export const lazyLoadSkill: Skill = {
  name: 'lazy-load',
  needsModel: false,
  handles: (candidate: Candidate) =>
    candidate.skill === 'lazy-load' &&
    candidate.target.symbol !== undefined &&
    isCodemodPath(candidate.target.path),
  async apply({ dir, candidate, signal }: SkillInput): Promise<SkillOutcome> {
    signal?.throwIfAborted();
    return lazyLoadImport(dir, candidate.target.path, candidate.target.symbol!, candidate.target.startLine);
  },
};
