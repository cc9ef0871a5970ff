/**
 * `swarm --help` start-up time against `node -e 0`, the floor for any Node
 * command, measured alternately in one script. The goal: at most 1.5 times
 * the floor, which only lazy loading of the commands' modules reaches.
 *
 *   npm run build && npx tsx bench/cli-startup.ts [--runs 30]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 30;
if (!existsSync('dist/cli/main.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

function time(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const floor: number[] = [];
const help: number[] = [];
for (let i = 0; i < 3; i++) {
  time(['-e', '0']);
  time(['bin/swarm.js', '--help']);
}
for (let i = 0; i < runs; i++) {
  floor.push(time(['-e', '0']));
  help.push(time(['bin/swarm.js', '--help']));
}
const f = median(floor);
const h = median(help);
console.log(`| command | median ms (${runs} runs, alternating) |\n| --- | ---: |`);
console.log(`| node -e 0 | ${f.toFixed(1)} |\n| swarm --help | ${h.toFixed(1)} |`);
console.log(`ratio: ${(h / f).toFixed(2)}× (goal ≤ 1.5×)`);
