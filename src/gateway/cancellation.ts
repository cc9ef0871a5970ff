type Listener = (reason: unknown) => void;

/**
 * A cancellation signal for the request path. AbortController works, but
 * its EventTarget machinery costs a few percent of the gateway's CPU per
 * request at high rates; this does the one thing needed, cheaply: tell the
 * listeners once, with the reason.
 */
export class Cancellation {
  private listeners: Listener[] = [];
  private cause: unknown;
  private done = false;

  get aborted(): boolean {
    return this.done;
  }

  get reason(): unknown {
    return this.cause;
  }

  abort(reason: unknown): void {
    if (this.done) return;
    this.done = true;
    this.cause = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener(reason);
  }

  /** Calls `listener` once on abort (at once if already aborted); returns the function that detaches it. */
  onAbort(listener: Listener): () => void {
    if (this.done) {
      listener(this.cause);
      return () => {};
    }
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** A cancellation that aborts with this one and can also abort alone; `detach` when done with it. */
  child(): { cancel: Cancellation; detach: () => void } {
    const cancel = new Cancellation();
    const detach = this.onAbort((reason) => cancel.abort(reason));
    return { cancel, detach };
  }
}
