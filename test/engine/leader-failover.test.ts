import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const LEASE_MS = 1000;
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'swarm-leader-'));

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Node {
  child: ChildProcess;
  lines: { text: string; at: number }[];
}

function node(url: string, name: string): Node {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/scheduler-process.ts', url, name, String(LEASE_MS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const n: Node = { child, lines: [] };
  child.stdout!.on('data', (d: Buffer) => {
    for (const text of d.toString().trim().split('\n')) n.lines.push({ text, at: Date.now() });
  });
  return n;
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('scheduler leader election (embedded SQLite engine, separate processes)', () => {
  it('has exactly one leader, and another node takes over within about one lease period after SIGKILL', async () => {
    const url = `sqlite:${join(dir, 'engine.db')}`;
    const nodes = [node(url, 'n1'), node(url, 'n2'), node(url, 'n3')];
    await until(() => nodes.every((n) => n.lines.some((l) => l.text.endsWith('started'))));
    await until(() => nodes.some((n) => n.lines.some((l) => l.text.endsWith('leader'))));
    await new Promise((r) => setTimeout(r, LEASE_MS));
    const leaders = nodes.filter((n) => n.lines.some((l) => l.text.endsWith('leader')));
    expect(leaders).toHaveLength(1);
    const old = leaders[0]!;
    const killedAt = Date.now();
    old.child.kill('SIGKILL');
    const others = nodes.filter((n) => n !== old);
    await until(() => others.some((n) => n.lines.some((l) => l.text.endsWith('leader'))), 10_000);
    const takeover = Math.min(
      ...others.flatMap((n) => n.lines.filter((l) => l.text.endsWith('leader')).map((l) => l.at)),
    );
    // one lease period plus one polling interval (a fifth of it) and process scheduling slack
    expect(takeover - killedAt).toBeLessThanOrEqual(LEASE_MS * 1.5);
    await new Promise((r) => setTimeout(r, LEASE_MS));
    expect(others.filter((n) => n.lines.some((l) => l.text.endsWith('leader')))).toHaveLength(1);
  }, 30_000);
});
