#!/usr/bin/env node
// The main job on a real repository, with no model: `npm run improve:demo`.
//
// Clones this very repository (its last commit) into .swarm/demo/swarm,
// links the installed dependencies into the clone, and runs `swarm improve`
// on it with the deterministic codemods only. The clone's own tests take
// minutes and need NATS and Chromium, so the test gate runs a narrower,
// quick subset of them (`--test-command`); the typecheck (tsc over the whole
// project) and lint (Biome) gates run in full. Every kept change is a
// branch `swarm/<run>/...` in the clone; the report lands in
// .swarm/demo/swarm/.swarm/improve/reports/. Nothing outside .swarm/demo/
// is written but temporary worktrees (removed at the end), and this
// checkout is only read. Extra arguments go to swarm improve (`-- --max 5`).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dest = join(root, '.swarm', 'demo', 'swarm');
const bin = join(root, 'bin', 'swarm.js');

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('swarm is not built yet: run `npm ci` (or `npm run build`) first.');
  process.exit(1);
}
rmSync(dest, { recursive: true, force: true });
mkdirSync(dirname(dest), { recursive: true });
console.error(`cloning ${root} into ${dest}`);
execFileSync('git', ['clone', '--quiet', root, dest], { stdio: 'inherit' });
symlinkSync(join(root, 'node_modules'), join(dest, 'node_modules'), 'dir');
// .gitignore's `node_modules/` does not match a link; the clone's own exclude file keeps it out of git.
appendFileSync(join(dest, '.git', 'info', 'exclude'), '/node_modules\n');

const args = [
  bin,
  'improve',
  dest,
  '--max',
  '4',
  '--max-file-lines',
  '400',
  '--test-command',
  'npx vitest run src/improve/edits src/improve/records src/improve/review',
  '--lint-command',
  'npx biome check src',
  '--timeout',
  '900',
  ...process.argv.slice(2),
];
console.error(`$ swarm ${args.slice(1).join(' ')}`);
const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (run.status === 0) {
  console.error('\nbranches in the clone:');
  execFileSync('git', ['-C', dest, 'branch', '--list', 'swarm/*'], { stdio: 'inherit' });
}
process.exit(run.status ?? 1);
