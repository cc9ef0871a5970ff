import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const TSX = import.meta.resolve('tsx');
const MAIN = resolve('src/cli/main.ts');

export interface SwarmProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** The `swarm` command from source (through tsx, no build needed), in `cwd`. */
export function swarmProcess(args: string[], cwd: string, env: Record<string, string> = {}): SwarmProcess {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
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
  return { child, done, output: () => stdout + stderr };
}
