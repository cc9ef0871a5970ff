import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerJob, WorkerReply } from './memory-worker.js';

/** Idle time after which the worker thread is stopped, to give its memory back. */
const IDLE_MS = 10_000;

/**
 * Runs merges and graph builds in one worker thread, so the thread that
 * serves searches never blocks on them. Started on first use; under the
 * TypeScript sources (tests) the worker loads through tsx.
 */
export class JobWorker {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private idleTimer: NodeJS.Timeout | undefined;

  run<T>(job: WorkerJob): Promise<T> {
    const worker = this.start();
    clearTimeout(this.idleTimer);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // a job in flight keeps the process alive; an idle worker does not
      worker.ref();
      worker.postMessage({ id, job });
    });
  }

  async terminate(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const here = import.meta.url;
    const worker = here.endsWith('.ts')
      ? // running from the TypeScript sources (tests): register tsx inside the worker, then load the entry
        new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap(here))}`))
      : new Worker(new URL('./memory-worker.js', here));
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(reply.error));
      if (this.pending.size === 0) {
        worker.unref();
        this.idleTimer = setTimeout(() => void this.terminate(), IDLE_MS).unref();
      }
    });
    const fail = (error: Error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.pending.size > 0) fail(new Error(`the memory worker thread exited (code ${code})`));
      this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}

function bootstrap(here: string): string {
  const entry = new URL('./memory-worker.ts', here).href;
  return `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
}

function tsxApi(): string {
  const resolved = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(resolved.replace(/index\.cjs$/, 'index.mjs')).href;
}
