export * from './errors.js';
export { type GitOptions, type GitResult, git, gitLine, refExists } from './git.js';
export { checkClean, excludeOwnDir, OWN_DIR, openRepo, type TargetRepo, uncommittedChanges } from './repo.js';
export { isDead, newRunState, type RunState, readRunStates, stateDir } from './run-state.js';
export {
  addDetachedWorktree,
  addWorktree,
  branchSlug,
  changedPaths,
  defaultWorktreeRoot,
  listWorktrees,
  type Reclaimed,
  reclaim,
  removeWorktree,
  runBranches,
  runBranchPrefix,
  stageChanges,
  type Worktree,
} from './worktrees.js';
