import { createInbox, type Msg, type NatsConnection, nanos } from '@nats-io/transport-node';
import { EngineRefusedError } from '../errors.js';

/** Extra time for the server's answer to a pull to arrive after the pull expired. */
const ANSWER_GRACE_MS = 1000;

/** `empty`: nothing to deliver in time; `busy`: the server turned the pull away for now (409, 503). */
export type PullOutcome = Msg | 'empty' | 'busy';

/**
 * Asks a durable pull consumer for one message, waiting up to `waitMs` (0:
 * answer at once). The library's `consumer.next()` waits at least a second
 * and cannot be aborted, which a claim with a short wait or an abort signal
 * needs. A pull cannot be withdrawn from the server, so after an abort the
 * inbox stays open until the pull has expired, and a message that still
 * arrives goes to `onOrphan`, to be handed back rather than left leased to no one.
 */
export function pullOne(
  nc: NatsConnection,
  stream: string,
  consumer: string,
  options: { waitMs: number; signal?: AbortSignal | undefined; onOrphan: (msg: Msg) => void },
): Promise<PullOutcome> {
  const { signal, onOrphan } = options;
  // the server wants whole nanoseconds
  const waitMs = Math.floor(options.waitMs);
  if (signal?.aborted) return Promise.resolve('empty');
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: PullOutcome | Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = () => settle('empty');
    const inbox = createInbox();
    let expiry: NodeJS.Timeout | undefined;
    const sub = nc.subscribe(inbox, {
      max: 1,
      callback: (error, msg) => {
        clearTimeout(expiry);
        if (error) return settle(error);
        const code = msg.headers?.code ?? 0;
        if (code === 0 && msg.reply) {
          if (settled) onOrphan(msg);
          else settle(msg);
        } else if (code === 404 || code === 408) settle('empty');
        else if (code === 409 || code === 503) settle('busy');
        else
          settle(new EngineRefusedError(`pull from ${stream}`, `${code} ${msg.headers?.description ?? ''}`));
      },
    });
    // the server answers every pull, with a message or a 404/408; this only covers an answer lost on the way
    expiry = setTimeout(() => {
      if (!sub.isClosed()) sub.unsubscribe();
      settle('empty');
    }, waitMs + ANSWER_GRACE_MS);
    expiry.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
    const request = waitMs > 0 ? { batch: 1, expires: nanos(waitMs) } : { batch: 1, no_wait: true };
    try {
      nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, JSON.stringify(request), {
        reply: inbox,
      });
    } catch (error) {
      clearTimeout(expiry);
      sub.unsubscribe();
      settle(error as Error);
    }
  });
}
