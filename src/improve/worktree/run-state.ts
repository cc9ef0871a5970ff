import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { processAlive } from '../../core/process-alive.js';
import { OWN_DIR } from './repo.js';

const runStateSchema = z.object({
  runId: z.string().min(1),
  pid: z.number().int(),
  host: z.string(),
  startedAt: z.string(),
  /** `finished` runs keep their branches for the user; `running` ones whose process is gone are reclaimed. */
  status: z.enum(['running', 'finished']),
  /** Where this run's worktrees live. */
  worktreeRoot: z.string(),
  phase: z.string().default('start'),
});
export type RunState = z.infer<typeof runStateSchema>;

/** The directory of run state files in the target repository. */
export function stateDir(root: string): string {
  return join(root, OWN_DIR, 'improve', 'runs');
}

function stateFile(root: string, runId: string): string {
  return join(stateDir(root), `${runId}.json`);
}

/** Written atomically (temp file, rename), so a kill mid-write leaves the previous state. */
export async function writeRunState(root: string, state: RunState): Promise<void> {
  await mkdir(stateDir(root), { recursive: true });
  const file = stateFile(root, state.runId);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

export async function updateRunState(root: string, runId: string, patch: Partial<RunState>): Promise<void> {
  const file = stateFile(root, runId);
  const current = runStateSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  await writeRunState(root, { ...current, ...patch });
}

/** Every run state file that parses; a damaged one is reported by name, not fatal. */
export async function readRunStates(root: string): Promise<{ states: RunState[]; damaged: string[] }> {
  const dir = stateDir(root);
  if (!existsSync(dir)) return { states: [], damaged: [] };
  const states: RunState[] = [];
  const damaged: string[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      states.push(runStateSchema.parse(JSON.parse(await readFile(join(dir, name), 'utf8'))));
    } catch {
      damaged.push(name);
    }
  }
  return { states, damaged };
}

export async function removeRunState(root: string, runId: string): Promise<void> {
  await rm(stateFile(root, runId), { force: true });
}

/** Whether the process that wrote a state is gone: only decidable on the same host. */
export function isDead(state: RunState): boolean {
  if (state.status !== 'running' || state.host !== hostname()) return false;
  if (state.pid === process.pid) return false;
  return !processAlive(state.pid);
}

export function newRunState(runId: string, worktreeRoot: string): RunState {
  return {
    runId,
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    status: 'running',
    worktreeRoot,
    phase: 'start',
  };
}
