import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@localhost',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@localhost',
};

/** Runs git in `cwd` and returns its trimmed output; throws with git's message on failure. */
export function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/**
 * A git repository in a new temp directory with `files` committed on `main`.
 * With `linkNodeModules`, this project's `node_modules` is linked in (and
 * ignored), so a fixture's test command can use vitest or tsx like a real
 * project with its dependencies installed.
 */
export function makeGitRepo(
  files: Record<string, string>,
  options: { linkNodeModules?: boolean } = {},
): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'swarm-improve-repo-')));
  sh(root, 'init', '--quiet', '--initial-branch=main');
  writeFiles(root, { '.gitignore': 'node_modules\n', ...files });
  if (options.linkNodeModules) symlinkSync(NODE_MODULES, join(root, 'node_modules'), 'dir');
  sh(root, 'add', '-A');
  sh(root, 'commit', '--quiet', '-m', 'initial');
  return root;
}

export function commitAll(root: string, message: string): string {
  sh(root, 'add', '-A');
  sh(root, 'commit', '--quiet', '-m', message);
  return sh(root, 'rev-parse', 'HEAD');
}

/**
 * A fingerprint of the user's side of a repository: the hash of every file
 * in the working tree (the run's own `.swarm/` and git's `.git/` aside, and the
 * linked `node_modules`), and every ref with its commit.
 */
export function snapshot(root: string): { files: Record<string, string>; refs: string } {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      const rel = relative(root, abs);
      if (rel === '.git' || rel === '.swarm' || rel === 'node_modules') continue;
      if (entry.isDirectory()) walk(abs);
      else files[rel] = createHash('sha256').update(readFileSync(abs)).digest('hex');
    }
  };
  walk(root);
  return { files, refs: sh(root, 'for-each-ref', '--format=%(refname) %(objectname)') };
}

/** The `refs/heads/...` lines of a snapshot that are not Swarm's own branches. */
export function userRefs(refs: string): string[] {
  return refs.split('\n').filter((line) => line && !line.startsWith('refs/heads/swarm/'));
}

export function removeRepo(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
