import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_TIMEOUT_MS = 10_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

/**
 * A private `nats-server -js` on a free port with its own store directory,
 * for tests that kill or restart the server: the shared server on 4222 must
 * never be touched by them. restart() reuses the port and the store, so
 * clients reconnect to the same URL and find their streams again.
 */
export class PrivateNatsServer {
  private child: ChildProcess | undefined;
  private log = '';

  private constructor(
    readonly port: number,
    readonly storeDir: string,
  ) {}

  static async start(): Promise<PrivateNatsServer> {
    const server = new PrivateNatsServer(await freePort(), mkdtempSync(join(tmpdir(), 'swarm-nats-')));
    await server.launch();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** SIGKILL: no shutdown, no flush, as when the machine's process dies. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async restart(): Promise<void> {
    if (this.child) await this.signal('SIGTERM');
    await this.launch();
  }

  /** Stops the server and removes its store. */
  async dispose(): Promise<void> {
    if (this.child) await this.signal('SIGKILL');
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    this.log = '';
    // "Server is ready" is logged once the client port listens and JetStream has recovered its store
    const child = spawn(
      'nats-server',
      ['-js', '-sd', this.storeDir, '-a', '127.0.0.1', '-p', String(this.port)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new Error(`nats-server did not become ready in ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        this.child = undefined;
        reject(new Error(`${error.message}\n--- nats-server log ---\n${this.log}`));
      };
      const onOutput = (chunk: Buffer) => {
        this.log += chunk.toString();
        if (this.log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onOutput);
      child.stderr?.on('data', onOutput);
      child.once('error', (error) =>
        fail(new Error(`cannot start nats-server (is it installed and on PATH?): ${error.message}`)),
      );
      child.once('exit', (code, signal) => fail(new Error(`nats-server exited early (${signal ?? code})`)));
    });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    // the start-up listener would report this exit as a failed start
    child.removeAllListeners('exit');
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}
