import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type SimServer, startSim } from '../../src/sim/index.js';
import { writeSimProject } from '../support/sim-project.js';

const BIN = resolve('bin/swarm.js');
let dir: string;
let sim: SimServer;

function swarm(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) =>
    child.on('close', (code) => r({ code, stdout, stderr })),
  );
  return { child, done };
}

const userTexts = () =>
  sim.requests().flatMap((r) => {
    const messages = (r.body as { messages?: { role: string; content: string }[] })?.messages ?? [];
    const user = messages.find((m) => m.role === 'user');
    return user ? [String(user.content)] : [];
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-wf-cli-'));
  sim = await startSim({
    scenario: {
      rules: [
        { match: { lastUser: 'step b' }, reply: { content: 'b done', latencyMs: 4000 } },
        { reply: { content: 'done: {{lastUser}}' } },
      ],
    },
  });
  writeSimProject(dir, sim.baseURL, {
    config: { limits: { leaseSeconds: 1 } },
    agents: { doer: { description: 'does', instructions: 'Do it.' } },
  });
  writeFileSync(
    join(dir, 'flow.yaml'),
    stringify({
      name: 'three-steps',
      steps: [
        { id: 'a', agent: 'doer', task: 'step a' },
        { id: 'b', agent: 'doer', task: 'step b after ${{ steps.a.output }}', needs: ['a'] },
        { id: 'c', agent: 'doer', task: 'step c after ${{ steps.b.output }}', needs: ['b'] },
      ],
    }),
  );
});

afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('swarm workflow run / resume', () => {
  it('refuses a malformed workflow before anything runs', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'name: bad\nsteps:\n  - id: a\n    tool: list_files\n    needs: [zzz]\n',
    );
    const { done } = swarm(['workflow', 'run', 'bad.yaml']);
    const r = await done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:5:\d+ steps\.0\.needs\.0: unknown step "zzz"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('continues from the last checkpoint after the whole process is killed; no completed step runs again', async () => {
    sim.reset();
    const { child, done } = swarm(['workflow', 'run', 'flow.yaml']);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const until = Date.now() + 20_000;
    while (!userTexts().some((t) => t.startsWith('step b'))) {
      if (Date.now() > until) throw new Error(`step b never started; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    await done;
    const runId = /run_[0-9a-z]+/.exec(stderr)?.[0];
    expect(runId).toBeDefined();
    const resumed = await swarm(['workflow', 'resume', runId!, '--json']).done;
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout) as {
      status: string;
      steps: Record<string, { status: string; attempts: number }>;
    };
    expect(result.status).toBe('succeeded');
    const texts = userTexts();
    expect(texts.filter((t) => t === 'step a')).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('step b'))).toHaveLength(2);
    expect(texts.filter((t) => t.startsWith('step c'))).toHaveLength(1);
    expect(result.steps.b?.attempts).toBe(2);
  }, 40_000);
});
