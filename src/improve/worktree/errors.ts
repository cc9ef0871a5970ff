import { SwarmError } from '../../core/errors.js';

/** git itself failed; the message is git's own. */
export class GitCommandError extends SwarmError {
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly exitCode: number,
    output: string,
  ) {
    super('git_failed', `git ${args.join(' ')} failed (exit ${exitCode}) in ${cwd}: ${output.trim()}`, {
      hint: 'Check that the repository is healthy (`git status`, `git fsck`) and try again.',
    });
  }
}

export class NotAGitRepoError extends SwarmError {
  constructor(readonly path: string) {
    super('not_a_git_repo', `${path} is not a git repository`, {
      hint: 'swarm improve works on a git repository: run `git init && git add -A && git commit -m initial` there first, or point it at the repository root.',
    });
  }
}

export class NoCommitsError extends SwarmError {
  constructor(readonly path: string) {
    super('no_commits', `${path} has no commits yet, so there is nothing to branch from`, {
      hint: 'Commit the current state first: `git add -A && git commit -m initial`.',
    });
  }
}

export class DetachedHeadError extends SwarmError {
  constructor(readonly path: string) {
    super('detached_head', `${path} has a detached HEAD: there is no branch to improve`, {
      hint: 'Check out a branch (`git switch <branch>`) or name one with --target.',
    });
  }
}

export class DirtyRepoError extends SwarmError {
  constructor(
    readonly path: string,
    readonly changed: readonly string[],
  ) {
    const shown =
      changed.slice(0, 8).join(', ') + (changed.length > 8 ? `, … (${changed.length} in all)` : '');
    super('dirty_repo', `${path} has uncommitted changes: ${shown}`, {
      hint: 'Commit or stash them first, or pass --allow-dirty: the run then works from the last commit and never touches them.',
    });
  }
}
