import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve('bin/swarm.js');
const MAIN = resolve('src/cli/main.ts');
const TSX = import.meta.resolve('tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /**
   * `dist` runs the built `bin/swarm.js`, as a user would (needs `npm run build`);
   * `source` runs the TypeScript through tsx, so a test needs no build.
   */
  from?: 'dist' | 'source';
  /** Called whenever either stream grows, with everything read so far. */
  onOutput?: (out: { stdout: string; stderr: string }, child: ChildProcess) => void;
}

export interface SwarmProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  done: Promise<CliResult>;
}

/** The real `swarm` command in its own process. */
export function startSwarm(args: string[], options: CliOptions): SwarmProcess {
  const entry = options.from === 'source' ? ['--import', TSX, MAIN] : [BIN];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => {
    out.stdout += d.toString();
    options.onOutput?.(out, child);
  });
  child.stderr.on('data', (d: Buffer) => {
    out.stderr += d.toString();
    options.onOutput?.(out, child);
  });
  const done = new Promise<CliResult>((resolveDone, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolveDone({ code, ...out }));
  });
  return { child, done, output: () => out.stdout + out.stderr };
}

/** Runs `swarm` to its end and returns its exit code and output. */
export function runSwarm(args: string[], options: CliOptions): Promise<CliResult> {
  return startSwarm(args, options).done;
}
