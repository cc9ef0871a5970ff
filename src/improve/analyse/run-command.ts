import { spawn } from 'node:child_process';

export interface CommandRun {
  argv: string[];
  /** `null` when the process was killed (timeout, cancellation) or died by a signal. */
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /** stdout and stderr interleaved as they arrived, cut to the last `maxOutputBytes`. */
  output: string;
  /** Failed to start: the program does not exist or cannot be run. */
  spawnError?: string;
}

export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Output kept (the end of it); default 8 MiB. */
  maxOutputBytes?: number;
}

const DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024;
const KILL_GRACE_MS = 2_000;

/**
 * Runs a command without a shell in its own process group and kills the
 * whole group (test runners fork workers, npm forks the script's shell) at
 * the timeout or on cancellation, so nothing it started outlives it. Never
 * throws: a program that cannot start is reported in `spawnError`.
 */
export function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<CommandRun> {
  const started = Date.now();
  const [program, ...args] = argv;
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let cancelled = false;
    const child = spawn(program ?? '', args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      while (size > max && chunks.length > 1) size -= chunks.shift()!.length;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    // A process that left the group keeps the pipes open after the kill; it is not waited for.
    const stopWaiting = () => {
      grace = setTimeout(() => finish(null), KILL_GRACE_MS);
      grace.unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
      stopWaiting();
    }, options.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      killGroup();
      stopWaiting();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    let done = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (exitCode: number | null, spawnError?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(grace);
      options.signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        argv: [...argv],
        exitCode: timedOut || cancelled ? null : exitCode,
        timedOut,
        cancelled,
        durationMs: Date.now() - started,
        output: Buffer.concat(chunks).toString('utf8').slice(-max),
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    };
    child.on('error', (error) => finish(null, error.message));
    child.on('close', (code) => finish(code));
  });
}
