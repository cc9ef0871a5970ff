import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RunStore } from '../../src/observe/run-store.js';
import { type SimServer, startSim } from '../../src/sim/index.js';
import { writeSimProject } from '../support/sim-project.js';
import { type CliOptions, runSwarm } from '../support/swarm-cli.js';

let dir: string;
let sim: SimServer;

const swarm = (args: string[], options: Omit<CliOptions, 'cwd'> = {}) =>
  runSwarm(args, { cwd: dir, ...options });

beforeAll(async () => {
  if (!existsSync('dist/cli/main.js'))
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'swarm-cli-'));
  sim = await startSim({
    scenario: {
      rules: [
        {
          match: { lastUser: 'slow' },
          reply: { content: 'working on it, slowly', chunkSize: 4, chunkDelayMs: 50 },
          fault: { type: 'stall', afterChunks: 4 },
        },
        { reply: { content: 'hello from the simulator' } },
      ],
    },
  });
  writeSimProject(dir, sim.baseURL, { agents: { helper: { description: 'helps', instructions: 'Help.' } } });
});

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the swarm command', () => {
  it('prints help with examples', async () => {
    const r = await swarm(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:/);
    const sub = await swarm(['run', '--help']);
    expect(sub.stdout).toMatch(/Example:\n\s+\$ swarm run/);
  });

  it('runs an agent, streams the answer and records the run', async () => {
    const r = await swarm(['run', 'helper', 'say hello']);
    expect(r.stderr).toMatch(/✓ succeeded/);
    expect(r.stdout).toContain('hello from the simulator');
    expect(r.code).toBe(0);
    const json = await swarm(['runs', 'list', '--json']);
    const runs = JSON.parse(json.stdout) as { id: string; status: string }[];
    expect(runs[0]?.status).toBe('succeeded');
    const shown = await swarm(['runs', 'show', runs[0]!.id.slice(0, 12), '--json']);
    const detail = JSON.parse(shown.stdout) as { tree: { agent: string; status: string }[] };
    expect(detail.tree[0]).toMatchObject({ agent: 'helper', status: 'succeeded' });
  });

  it('prints --json output for scripts', async () => {
    const r = await swarm(['run', 'helper', 'again', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      outcome: 'succeeded',
      output: 'hello from the simulator',
      agents: 1,
    });
  });

  it('cancels cleanly on Ctrl-C and records the run as cancelled', async () => {
    let sent = false;
    const r = await swarm(['run', 'helper', 'be slow'], {
      onOutput: (out, child) => {
        if (!sent && out.stdout.includes('working')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/cancelling the run/);
    expect(r.stderr).toMatch(/■ cancelled/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const store = new RunStore(join(dir, '.swarm', 'swarm.db'));
    try {
      expect(store.listRuns({ limit: 1 })[0]?.status).toBe('cancelled');
    } finally {
      store.close();
    }
  });

  it('refuses a read-only store with a clear error and no stack trace', async () => {
    const file = join(dir, 'readonly.db');
    new RunStore(file).close();
    chmodSync(file, 0o444);
    const r = await swarm(['run', 'helper', 'hi', '--store', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: the store .*readonly\.db is read-only/);
    expect(r.stderr).toMatch(/hint: Make it writable/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a broken manifest with file, line and field', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\ndescription: x\ninstructions: y\nlimits:\n  maxSteps: -3\n');
    const r = await swarm(['agents', 'validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bad\.yaml:5:\d+ limits\.maxSteps: /);
    const json = await swarm(['agents', 'validate', bad, '--json']);
    const parsed = JSON.parse(json.stdout) as {
      ok: boolean;
      files: { file: string; problems: { path: string; line: number }[] }[];
    };
    expect(parsed.ok).toBe(false);
    expect(parsed.files.find((f) => f.file === bad)?.problems[0]).toMatchObject({
      path: 'limits.maxSteps',
      line: 5,
    });
  });

  it('says what to do for an unknown agent', async () => {
    const r = await swarm(['run', 'nobody', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: no agent named "nobody"/);
    expect(r.stderr).toMatch(/hint: Known agents: helper/);
  });

  it('doctor checks the config, store, agents and the model endpoint', async () => {
    const r = await swarm(['doctor', '--json']);
    const report = JSON.parse(r.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(report.checks.find((c) => c.name === 'model sim:sim-model')?.status).toBe('ok');
    expect(report.ok).toBe(true);
    expect(r.code).toBe(0);
    writeFileSync(
      join(dir, 'other.yaml'),
      stringify({
        defaultModel: 'sim:missing-model',
        providers: { sim: { type: 'openai-compatible', baseURL: sim.baseURL } },
      }),
    );
    const bad = await swarm(['--config', 'other.yaml', 'doctor']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/does not serve "missing-model"/);
    expect(bad.stdout).toMatch(/fix: Use one of: sim-model/);
  });
});
