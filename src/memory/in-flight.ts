/**
 * Coalesces identical concurrent calls into one: the first caller runs the
 * work, later callers with the same key wait for it, and all get its result
 * or its error. Cancellation is per caller: a waiter that gives up stops
 * waiting without touching the shared call; if the caller running the work
 * is cancelled, its own cancellation is not handed to the others: they
 * start over, and one of them runs the work again.
 */
export class InFlight<T> {
  private readonly calls = new Map<string, { promise: Promise<T>; signal: AbortSignal }>();

  get size(): number {
    return this.calls.size;
  }

  /**
   * `personal` tells errors that belong to the caller running the work (its
   * own budget or deadline), not to the work: the others start over, as
   * after its cancellation.
   */
  async run(
    key: string,
    signal: AbortSignal,
    work: () => Promise<T>,
    personal?: (error: unknown) => boolean,
  ): Promise<T> {
    for (;;) {
      signal.throwIfAborted();
      const current = this.calls.get(key);
      if (!current) return this.lead(key, signal, work);
      try {
        return await untilAborted(current.promise, signal);
      } catch (error) {
        // the leader was cancelled or stopped by its own limits, not the call: this caller tries again
        if ((current.signal.aborted || personal?.(error) === true) && !signal.aborted) continue;
        throw error;
      }
    }
  }

  private lead(key: string, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const promise = (async () => work())();
    const entry = { promise, signal };
    this.calls.set(key, entry);
    const clear = () => {
      if (this.calls.get(key) === entry) this.calls.delete(key);
    };
    promise.then(clear, clear);
    return promise;
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
