import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { improveFixtureFiles } from '../support/improve-fixture.js';
import { makeGitRepo, removeRepo, writeFiles } from '../support/improve-repo.js';

const MAIN = resolve('src/cli/main.ts');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeRepo(dir);
});

function swarm(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('swarm improve on the command line', () => {
  it('says clearly when the path is not a git repository, or has uncommitted changes, without a stack trace', () => {
    const plain = realpathSync(mkdtempSync(join(tmpdir(), 'swarm-plain-')));
    dirs.push(plain);
    const notRepo = swarm('improve', plain);
    expect(notRepo.code).toBe(1);
    expect(notRepo.stderr).toMatch(/^error: .* is not a git repository\nhint: .*git init/);
    expect(notRepo.stderr).not.toMatch(/\n\s+at /);

    const root = makeGitRepo({ 'a.ts': 'export const a = 1;\n' });
    dirs.push(root);
    writeFiles(root, { 'a.ts': 'export const a = 2;\n' });
    const dirty = swarm('improve', root);
    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toMatch(/error: .* has uncommitted changes: a\.ts\nhint: .*--allow-dirty/);
    const badSkill = swarm('improve', root, '--skills', 'split-file,teleport');
    expect(badSkill.stderr).toMatch(/unknown skill\(s\) teleport/);
  }, 60_000);

  it('prints the plan with --dry-run, and as JSON with --json', () => {
    const root = makeGitRepo(improveFixtureFiles());
    dirs.push(root);
    const plan = swarm('improve', root, '--dry-run');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`^# Improvement plan for ${root}`));
    expect(plan.stdout).toMatch(/split-file \| src\/big\.ts/);
    expect(plan.stderr).toMatch(/plan 1 candidate\(s\): split-file:src\/big\.ts/);
    const json = swarm('improve', root, '--dry-run', '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ dryRun: true, target: 'main', cycles: [] });
    expect(report.planMarkdown).toMatch(/split-file/);
    expect(json.stderr).toBe('');
  }, 60_000);
});
