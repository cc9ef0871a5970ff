/** Process handling, load generation and statistics shared by the gateway benchmarks. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The number after `--name` on the command line, or `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? Number.NaN : Number(process.argv[at + 1]);
  return Number.isFinite(value) ? value : fallback;
}

export interface Served {
  urls: string[];
  pid: number;
  /** Heap in use after a full garbage collection, and resident size, in MiB. */
  memory(): Promise<{ heapUsedMiB: number; rssMiB: number }>;
  /** CPU time used so far (user and system), in microseconds. */
  cpu(): Promise<{ userMicros: number; systemMicros: number }>;
  stop(): Promise<void>;
}

/** Starts `bench/gateway-serve.ts <role> ...` in its own Node process and waits for its URLs. */
export async function serve(role: string, ...args: string[]): Promise<Served> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'gateway-serve.ts'), role, ...args],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  lines.on('line', (line) => waiting.shift()?.resolve(line));
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${role} exited with ${code}`));
  });
  const nextLine = () => new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
  const { urls } = JSON.parse(await nextLine()) as { urls: string[] };
  return {
    urls,
    pid: child.pid as number,
    memory: async () => {
      const answer = nextLine();
      child.stdin?.write('memory\n');
      return JSON.parse(await answer) as { heapUsedMiB: number; rssMiB: number };
    },
    cpu: async () => {
      const answer = nextLine();
      child.stdin?.write('cpu\n');
      return JSON.parse(await answer) as { userMicros: number; systemMicros: number };
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

/** Resident memory of a process, now and at its peak, in MiB (Linux /proc). */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export interface LoadResult {
  latenciesMs: number[];
  wallMs: number;
  errors: number;
}

/**
 * Closed-loop load: `concurrency` workers each send `perWorker` POSTs one
 * after another over keep-alive sockets, reading each answer to its end.
 */
export async function closedLoop(
  url: string,
  body: string,
  concurrency: number,
  perWorker: number,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const latenciesMs: number[] = [];
  let errors = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request(
        {
          agent,
          hostname: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            if (res.statusCode === 200) latenciesMs.push(performance.now() - t0);
            else errors += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < perWorker; i++) await one();
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  return { latenciesMs, wallMs, errors };
}

export function machine(): { cpus: number; model: string; loadAverage: number[]; node: string } {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    loadAverage: loadavg(),
    node: process.version,
  };
}
