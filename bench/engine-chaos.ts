/**
 * Chaos on NATS: 2,000 tasks over 4 worker processes while 10 random workers
 * are killed with SIGKILL (each replaced at once). Counts tasks lost (never
 * acknowledged with their effect) and side effects that happened twice.
 *
 *   npx tsx bench/engine-chaos.ts [--tasks 2000] [--kills 10] [--url nats://127.0.0.1:4222]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../src/engine/open-backend.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const tasks = Number(arg('tasks', '2000'));
const kills = Number(arg('kills', '10'));
const url = arg('url', 'nats://127.0.0.1:4222');
const tag = `chaos${Date.now().toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), 'swarm-chaos-'));
const effectsFile = join(dir, 'effects.log');
writeFileSync(effectsFile, '');

const backend = await openBackend(url);
const queue = await backend.queue(tag, { leaseMs: 2000, maxDeliveries: 50 });
const bucket = await backend.kv(`${tag}fx`);

const ready = new WeakSet<ChildProcess>();
function startWorker(): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/lib/chaos-worker.ts', url, tag, `${tag}fx`, effectsFile],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  child.stdout!.once('data', () => setTimeout(() => ready.add(child), 300));
  return child;
}

const started = Date.now();
for (let i = 0; i < tasks; i++) await queue.enqueue({ id: `task-${i}`, payload: { i } });
const workers = Array.from({ length: 4 }, startWorker);
const lines = () =>
  existsSync(effectsFile) ? readFileSync(effectsFile, 'utf8').trim().split('\n').filter(Boolean) : [];
const done = () => new Set(lines().map((l) => l.split(' ')[0])).size;
// the kills are spread over the first ~80% of the work, so each lands on tasks in flight
let killed = 0;
while (killed < kills && done() < tasks * 0.8) {
  await new Promise((r) => setTimeout(r, 400 + Math.random() * 600));
  // only a worker that has been claiming work for a while is a fair victim
  const candidates = workers.map((w, i) => (ready.has(w) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) continue;
  const victim = candidates[Math.floor(Math.random() * candidates.length)]!;
  workers[victim]!.kill('SIGKILL');
  killed++;
  workers[victim] = startWorker();
  process.stderr.write(`kill ${killed}/${kills}: ${done()}/${tasks} done\n`);
}
const deadline = Date.now() + 120_000;
while (done() < tasks && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
// let late redeliveries of already-done tasks run, so a duplicate effect would show
await new Promise((r) => setTimeout(r, 3000));
for (const w of workers) w.kill('SIGKILL');
const tally = (ids: string[]) => {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
};
const counts = tally(lines().map((l) => l.split(' ')[0]!));
const idempotent = tally(
  readFileSync(`${effectsFile}.idempotent`, 'utf8').trim().split('\n').filter(Boolean),
);
const lost = Array.from({ length: tasks }, (_, i) => `task-${i}`).filter(
  (id) => !counts.has(id) || !idempotent.has(id),
);
const duplicated = [...counts.values()].filter((n) => n > 1).length;
const duplicatedIdempotent = [...idempotent.values()].filter((n) => n > 1).length;
const dead = (await queue.stats()).deadLetters;
const result = {
  tasks,
  workers: 4,
  kills: killed,
  lost: lost.length,
  duplicatedIdempotentEffects: duplicatedIdempotent,
  duplicatedPlainAppends: duplicated,
  deadLetters: dead,
  seconds: (Date.now() - started) / 1000,
};
console.log(
  '| tasks | workers | SIGKILLs | lost | duplicated effects (idempotent) | duplicated plain appends | dead letters | seconds |\n' +
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
);
console.log(
  `| ${tasks} | 4 | ${killed} | ${lost.length} | ${duplicatedIdempotent} | ${duplicated} | ${dead} | ${result.seconds.toFixed(1)} |`,
);
writeFileSync('bench/results/engine-chaos.json', `${JSON.stringify(result, null, 2)}\n`);
await queue.destroy();
await bucket.destroy();
await backend.close();
process.exit(lost.length === 0 && duplicatedIdempotent === 0 ? 0 : 1);
