import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, readManifest } from '../../src/memory/index.js';

/**
 * Faults that need a real process: `swarm memory ingest` killed with
 * SIGKILL while it writes a segment, and a single-line file far larger
 * than the heap the process is allowed, streamed.
 */

const BIN = resolve('bin/swarm.js');
let root: string;

function swarm(args: string[], nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolvePromise) => child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Kills the child at the first moment a store file is being written (a temp file exists). */
function killMidWrite(child: ChildProcess, dir: string, minGeneration: number): Promise<void> {
  return new Promise((resolvePromise) => {
    const poll = setInterval(() => {
      if (!existsSync(dir)) return;
      const generation = readManifest(dir)?.generation ?? 0;
      const writing = readdirSync(dir).some((name) => name.includes('.tmp-'));
      if (generation >= minGeneration && writing) {
        child.kill('SIGKILL');
        clearInterval(poll);
        resolvePromise();
      }
    }, 1);
    child.on('exit', () => {
      clearInterval(poll);
      resolvePromise();
    });
  });
}

beforeAll(() => {
  if (!existsSync('dist/cli/main.js'))
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  root = mkdtempSync(join(tmpdir(), 'swarm-memory-crash-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('memory under process faults', { timeout: 120_000 }, () => {
  it('opens with the last complete state after SIGKILL mid-segment-write, and the next ingest finishes the job', async () => {
    const corpus = join(root, 'corpus');
    for (let d = 0; d < 12; d++) {
      mkdirSync(join(corpus, `d${d}`), { recursive: true });
      for (let f = 0; f < 20; f++) {
        const words = Array.from({ length: 120 }, (_, i) => `w${(d * 7 + f * 13 + i) % 997}`).join(' ');
        writeFileSync(join(corpus, `d${d}`, `f${f}.txt`), `file ${d}-${f} unique${d}x${f}\n${words}\n`);
      }
    }
    const dir = join(root, '.swarm', 'memory');
    const run = swarm(['memory', 'ingest', 'corpus', '--segment-chunks', '8', '--no-wait']);
    await killMidWrite(run.child, dir, 3);
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');

    // what the last manifest names is whole and searchable; the half-written file is not used
    const before = readManifest(dir)!;
    const reader = await MemoryStore.open({ dir, root, readOnly: true });
    const stats = reader.stats();
    expect(stats.segments).toBe(before.segments.length);
    expect(stats.files).toBeGreaterThan(0);
    expect(stats.files).toBeLessThan(240);
    const first = await reader.search({ query: 'unique0x0', mode: 'bm25', k: 1 });
    expect(first.hits[0]?.path).toBe('corpus/d0/f0.txt');
    await reader.close();

    const rerun = await swarm(['memory', 'ingest', 'corpus', '--segment-chunks', '8', '--no-wait', '--json'])
      .done;
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(rerun.stdout) as {
      unchanged: number;
      changed: number;
      stats: { files: number };
    };
    expect(report.unchanged).toBe(stats.files);
    expect(report.changed).toBe(240 - stats.files);
    expect(report.stats.files).toBe(240);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('streams a single-line file larger than the heap, and resumes it after a kill', async () => {
    const dir = join(root, 'big-store');
    const file = join(root, 'one-line.txt');
    // over 8 MiB on one line, so it is streamed; the child gets a 40 MiB heap
    const words = Array.from({ length: 4000 }, (_, i) => `token${i}`).join(' ');
    let text = 'zyxopening ';
    while (text.length < 8.4 * 2 ** 20) text += `${words} `;
    text += 'zyxclosing';
    writeFileSync(file, text);
    const args = ['memory', 'ingest', 'one-line.txt', '--dir', dir, '--segment-chunks', '512', '--no-wait'];
    const heap = ['--max-old-space-size=40'];

    const first = swarm(args, heap);
    await killMidWrite(first.child, dir, 2);
    expect((await first.done).signal).toBe('SIGKILL');
    const partial = await MemoryStore.open({ dir, root, readOnly: true });
    const done = partial.stats().chunks;
    expect(done).toBeGreaterThan(0);
    expect((await partial.search({ query: 'zyxclosing', mode: 'bm25' })).hits).toEqual([]);
    await partial.close();

    const second = await swarm([...args, '--json'], heap).done;
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout) as { chunks: number; stats: { chunks: number; files: number } };
    // resumed where the last committed segment ended, not from the start
    expect(report.chunks).toBeLessThan(report.stats.chunks);
    expect(report.stats.files).toBe(1);
    const store = await MemoryStore.open({ dir, root, readOnly: true });
    for (const marker of ['zyxopening', 'zyxclosing']) {
      const found = await store.search({ query: marker, mode: 'bm25', k: 1 });
      expect(found.hits[0]?.path).toBe('one-line.txt');
    }
    await store.close();
  });
});
