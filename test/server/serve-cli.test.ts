import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOptions, runSwarm } from '../support/swarm-cli.js';

let dir: string;

const swarm = (args: string[], options: Omit<CliOptions, 'cwd'> = {}) =>
  runSwarm(args, { cwd: dir, ...options });

beforeAll(() => {
  if (!existsSync('dist/cli/main.js') || !existsSync('web/dist/index.html'))
    throw new Error('dist/ or web/dist/ is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'swarm-serve-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('swarm serve, as a process', { timeout: 60_000 }, () => {
  it('serves the API and the dashboard until SIGTERM, then exits cleanly', async () => {
    let checks: Promise<unknown> | undefined;
    let child: ChildProcess | undefined;
    // a failed check must still stop the server it started
    const stop = setTimeout(() => child?.kill('SIGKILL'), 45_000);
    const result = await swarm(['serve', '--port', '0', '--json'], {
      onOutput(out, proc) {
        child = proc;
        const url = /"url": "(http[^"]+)"/.exec(out.stdout)?.[1];
        if (checks || !url) return;
        checks = (async () => {
          try {
            const info = (await (await fetch(`${url}/api/server`)).json()) as { workflows: boolean };
            const page = await (await fetch(`${url}/`)).text();
            const missing = await fetch(`${url}/api/runs/run_missing`);
            return { info, page, missing: missing.status };
          } finally {
            proc.kill('SIGTERM');
          }
        })();
      },
    });
    clearTimeout(stop);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const seen = (await checks) as { info: { workflows: boolean }; page: string; missing: number };
    expect(seen.info.workflows).toBe(true);
    expect(seen.page).toContain('<div id="root">');
    expect(seen.missing).toBe(404);
  });

  it('refuses to bind beyond loopback without a key, saying how to make one', async () => {
    const result = await swarm(['serve', '--host', '0.0.0.0', '--port', '0'], {
      env: { SWARM_SERVER_KEY_HASH: '' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without an API key/);
    expect(result.stderr).toMatch(/swarm serve --new-key/);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('makes a key and prints only the hash to configure', async () => {
    const result = await swarm(['serve', '--new-key', 'ops']);
    expect(result.code).toBe(0);
    const key = /sk-swarm-ops\.\S+/.exec(result.stdout)?.[0];
    expect(key).toBeDefined();
    expect(result.stdout).toMatch(/apiKeyHash: sha256:[\w-]+:[0-9a-f]{64}/);
  });
});
