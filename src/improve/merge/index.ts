export { type FastForwardOutcome, fastForward } from './fast-forward.js';
export {
  type DroppedBranch,
  type IntegrationOptions,
  type IntegrationResult,
  integrate,
  type MergeableBranch,
} from './integrate.js';
export { type MergeAttempt, mergeCommit } from './merge-tree.js';
