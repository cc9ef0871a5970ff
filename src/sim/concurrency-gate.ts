interface Waiter {
  model: string;
  admit: () => void;
}

/**
 * Lets at most `limit` generation requests run at once and queues the rest in
 * arrival order, like a server with a fixed batch size. The counts are what
 * /metrics reports as running and waiting.
 */
export class ConcurrencyGate {
  private readonly queue: Waiter[] = [];
  private readonly active = new Map<string, number>();
  private total = 0;

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /** Resolves with a release function once admitted, or undefined if `signal` aborts while queued. */
  acquire(model: string, signal: AbortSignal): Promise<(() => void) | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    if (this.total < this.limit && this.queue.length === 0) return Promise.resolve(this.grant(model));
    return new Promise((resolve) => {
      const waiter: Waiter = {
        model,
        admit: () => {
          signal.removeEventListener('abort', leave);
          resolve(this.grant(model));
        },
      };
      const leave = () => {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        resolve(undefined);
      };
      signal.addEventListener('abort', leave, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Requests running across every model: the batch a decode step is shared by. */
  get totalRunning(): number {
    return this.total;
  }

  running(model: string): number {
    return this.active.get(model) ?? 0;
  }

  waiting(model: string): number {
    return this.queue.filter((w) => w.model === model).length;
  }

  private grant(model: string): () => void {
    this.total += 1;
    this.active.set(model, this.running(model) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      this.active.set(model, this.running(model) - 1);
      while (this.total < this.limit && this.queue.length > 0) this.queue.shift()?.admit();
    };
  }
}
