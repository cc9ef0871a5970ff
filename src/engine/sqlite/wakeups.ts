import { EventEmitter } from 'node:events';

/**
 * In-process wake-ups: a claim waiting on a queue, or a watch on a bucket,
 * hears about a write from the same process at once. Writes from other
 * processes are found by polling, so this only shortens the wait.
 */
const emitter = new EventEmitter();
emitter.setMaxListeners(0);

export function notify(topic: string): void {
  emitter.emit(topic);
}

/** Resolves on the next notify(topic), after `ms`, or when the signal aborts, whichever comes first. */
export function waitFor(topic: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      emitter.off(topic, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    emitter.once(topic, done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function subscribe(topic: string, listener: () => void): () => void {
  emitter.on(topic, listener);
  return () => emitter.off(topic, listener);
}
