import { sleep } from './sleep.js';

/**
 * Prefill is compute-bound: a server works through one prompt at a time at
 * its full speed, so concurrent prefills queue rather than overlap. Decode
 * steps, by contrast, are shared by the whole batch (see performance.ts).
 */
export class PrefillLane {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves after every earlier prefill and then `ms` more; at once for a request that aborts. */
  run(ms: number, signal: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => sleep(ms, signal));
    this.tail = turn;
    return Promise.race([turn, sleep(Number.POSITIVE_INFINITY, signal)]);
  }
}
