import { execFile } from 'node:child_process';
import { GitCommandError } from './errors.js';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitOptions {
  /** Exit codes that are answers, not failures (`merge-tree` exits 1 on conflicts). */
  allow?: readonly number[];
  env?: Record<string, string>;
  signal?: AbortSignal;
  input?: string;
}

/**
 * Runs git with arguments (never through a shell) in `cwd`. A non-zero exit
 * that is not in `allow` is a `GitCommandError` carrying git's own message.
 * Identity and editor are fixed so that commits made by a run do not depend
 * on (or prompt for) the user's configuration.
 */
export function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args as string[],
      {
        cwd,
        maxBuffer: 256 * 1024 * 1024,
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_EDITOR: 'true',
          GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME ?? 'swarm',
          GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL ?? 'swarm@localhost',
          GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? 'swarm',
          GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? 'swarm@localhost',
          ...options.env,
        },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        if (code !== 0 && !(options.allow ?? []).includes(code)) {
          reject(new GitCommandError(args, cwd, code, String(stderr || stdout || error?.message)));
          return;
        }
        resolve({ stdout: String(stdout), stderr: String(stderr), code });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** `git ... ` output, trimmed: for commands that answer one value. */
export async function gitLine(cwd: string, args: readonly string[]): Promise<string> {
  return (await git(cwd, args)).stdout.trim();
}

/** Whether a ref exists, without failing when it does not. */
export async function refExists(cwd: string, ref: string): Promise<boolean> {
  return (await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allow: [1] })).code === 0;
}
