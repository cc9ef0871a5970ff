import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend.js';
import { SqliteBackend } from '../../src/engine/sqlite/sqlite-backend.js';
import type { WorkflowDefinition } from '../../src/workflows/definition.js';
import { WorkflowEngine } from '../../src/workflows/engine.js';
import type { StepRunner } from '../../src/workflows/step-runner.js';

const children: ChildProcess[] = [];
let dir: string;
let backend: Backend | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await backend?.close();
  backend = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(engineUrl: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/workflow-worker-process.ts', engineUrl, dir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];

/** The coordinator in the test process only starts runs and reads state; the steps run in the children. */
const noSteps: StepRunner = {
  agent: () => Promise.reject(new Error('steps run in the worker processes')),
  tool: () => Promise.reject(new Error('steps run in the worker processes')),
};

const workflow = (waitAfter: boolean) =>
  ({
    name: 'crashy',
    steps: [
      {
        id: 'effect',
        tool: 'slow_effect',
        args: { file: 'effects.log', line: 'did-it', waitMs: 1500, waitAfter },
      },
      {
        id: 'after',
        tool: 'slow_effect',
        args: { file: 'after.log', line: 'after', waitMs: 0 },
        needs: ['effect'],
      },
    ],
  }) as unknown as WorkflowDefinition;

describe('a worker killed with SIGKILL mid-step (embedded SQLite engine)', () => {
  for (const waitAfter of [false, true]) {
    it(`redelivers the step to another worker, which completes it; the effect happens once (killed ${waitAfter ? 'after' : 'before'} the effect)`, async () => {
      dir = mkdtempSync(join(tmpdir(), 'swarm-crash-'));
      const url = `sqlite:${join(dir, 'engine.db')}`;
      backend = new SqliteBackend(join(dir, 'engine.db'));
      const engine = await WorkflowEngine.open(backend, noSteps, { leaseMs: 1000 });
      const first = await startWorker(url);
      const runId = await engine.start(workflow(waitAfter));
      await until(() => lines(join(dir, 'started.log')).length >= 1);
      // the effect and its record are two writes: kill only once both are done
      // (the ledger's key appears when the effect is claimed, before it runs: wait for its recorded result)
      if (waitAfter)
        await until(async () => {
          const [key] = await engine.state.kv.keys(`effect.${runId}.`);
          const entry = key === undefined ? undefined : await engine.state.kv.get(key);
          return entry !== undefined && 'result' in (entry.value as object);
        });
      first.kill('SIGKILL');
      await startWorker(url);
      await until(async () => (await engine.status(runId)).run.status !== 'running', 20_000);
      const { run, steps } = await engine.status(runId);
      expect(run.status).toBe('succeeded');
      expect(lines(join(dir, 'started.log'))).toHaveLength(3);
      expect(lines(join(dir, 'effects.log'))).toEqual(['did-it']);
      expect(lines(join(dir, 'after.log'))).toEqual(['after']);
      expect(steps.get('effect')?.attempts).toBe(2);
    }, 30_000);
  }
});
