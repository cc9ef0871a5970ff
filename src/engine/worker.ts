import { errorMessage, SwarmError } from '../core/errors.js';
import { withTaskTrace } from '../observe/tracing/trace-context.js';
import type { ClaimedTask, TaskQueue } from './backend.js';
import { LeaseLostError } from './errors.js';

/** Thrown by a handler for a task that can never succeed: it goes to the dead-letter list at once. */
export class PermanentTaskError extends SwarmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('permanent_task_failure', message, options);
  }
}

export type TaskHandler = (task: ClaimedTask, signal: AbortSignal) => Promise<void>;

export interface WorkerEvents {
  claimed?(task: ClaimedTask): void;
  finished?(
    task: ClaimedTask,
    outcome: 'acked' | 'nacked' | 'dead' | 'handed-back' | 'lost',
    error?: unknown,
  ): void;
}

export interface WorkerOptions {
  queue: TaskQueue;
  handler: TaskHandler;
  /** Tasks run at once by this worker. */
  concurrency?: number;
  /** How long one claim call waits for work before checking whether to stop. */
  claimWaitMs?: number;
  /** Retry delay after a failed delivery; the default backs off from 1 s to 60 s. */
  retryDelayMs?: (deliveries: number) => number;
  events?: WorkerEvents;
}

const defaultRetryDelay = (deliveries: number) => Math.min(60_000, 1000 * 2 ** (deliveries - 1));

/**
 * Claims tasks and runs them, extending each lease while its handler works
 * (a third of the lease, so two missed heartbeats are survivable), then acks,
 * or naks with a back-off so another delivery retries. stop() stops claiming,
 * lets running tasks finish within a grace period and hands the rest back.
 */
export class Worker {
  private readonly stopController = new AbortController();
  private readonly running = new Map<ClaimedTask, { controller: AbortController; since: number }>();
  private loops: Promise<void>[] = [];
  private readonly options: Required<Omit<WorkerOptions, 'events'>> & { events: WorkerEvents };

  constructor(options: WorkerOptions) {
    this.options = {
      concurrency: 1,
      claimWaitMs: 500,
      retryDelayMs: defaultRetryDelay,
      events: {},
      ...options,
    };
  }

  get inFlight(): number {
    return this.running.size;
  }

  get concurrency(): number {
    return this.options.concurrency;
  }

  /** The tasks held now, and since when (epoch ms): what the fleet view shows. */
  claimed(): { taskId: string; deliveries: number; since: number }[] {
    return [...this.running].map(([task, { since }]) => ({
      taskId: task.id,
      deliveries: task.deliveries,
      since,
    }));
  }

  start(): this {
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop());
    return this;
  }

  /** Stops claiming; waits up to `graceMs` for running tasks, then aborts them and hands them back. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopController.abort();
    const all = Promise.all(this.loops);
    const timer = setTimeout(() => {
      for (const { controller } of this.running.values()) controller.abort(new Error('worker shutting down'));
    }, graceMs);
    try {
      await all;
    } finally {
      clearTimeout(timer);
    }
  }

  private async loop(): Promise<void> {
    const stopping = this.stopController.signal;
    while (!stopping.aborted) {
      let task: ClaimedTask | undefined;
      try {
        task = await this.options.queue.claim({ waitMs: this.options.claimWaitMs, signal: stopping });
      } catch {
        // the backend is unreachable (a restarting server): wait and try again rather than die
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (task) await this.run(task);
    }
  }

  private async run(task: ClaimedTask): Promise<void> {
    const controller = new AbortController();
    this.running.set(task, { controller, since: Date.now() });
    this.options.events.claimed?.(task);
    const heartbeat = setInterval(
      () => {
        task.extend().catch((error: unknown) => {
          if (error instanceof LeaseLostError) controller.abort(error);
        });
      },
      Math.max(50, Math.floor(this.options.queue.options.leaseMs / 3)),
    );
    try {
      // the task's trace headers make what the handler does part of the trace that enqueued it
      await withTaskTrace(task.headers, () => this.options.handler(task, controller.signal));
      await task.ack();
      this.options.events.finished?.(task, 'acked');
    } catch (error) {
      await this.settleFailure(task, controller.signal, error);
    } finally {
      clearInterval(heartbeat);
      this.running.delete(task);
    }
  }

  private async settleFailure(task: ClaimedTask, signal: AbortSignal, error: unknown): Promise<void> {
    try {
      if (error instanceof LeaseLostError || signal.reason instanceof LeaseLostError) {
        this.options.events.finished?.(task, 'lost', error);
      } else if (signal.aborted && this.stopController.signal.aborted) {
        await task.nak({ delayMs: 0, error: 'handed back by a worker that was shutting down' });
        this.options.events.finished?.(task, 'handed-back', error);
      } else if (error instanceof PermanentTaskError) {
        await task.deadLetter(errorMessage(error));
        this.options.events.finished?.(task, 'dead', error);
      } else {
        await task.nak({ delayMs: this.options.retryDelayMs(task.deliveries), error: errorMessage(error) });
        this.options.events.finished?.(task, 'nacked', error);
      }
    } catch (settleError) {
      this.options.events.finished?.(task, 'lost', settleError);
    }
  }
}
