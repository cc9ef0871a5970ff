import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { millis, nanos } from '@nats-io/transport-node';
import { QUEUE_DEFAULTS, type QueueOptions } from '../backend.js';
import { isNotFound } from './api-errors.js';
import { QUEUE_CONSUMER, queueStream, queueSubject } from './nats-names.js';

/** JetStream's answer when a stream exists with another configuration. */
const STREAM_NAME_IN_USE = 10058;

/**
 * Creates (or joins) a queue's work-queue stream and its durable pull
 * consumer. The lease is the consumer's ack_wait and the dedup window the
 * stream's duplicate_window, so both are shared by every process on the
 * queue, unlike SQLite where each handle keeps its own: an option the caller
 * gives explicitly is applied to the server, one it leaves out is taken from
 * what the server already has. maxDeliveries is enforced by the client.
 */
export async function openQueueStream(
  jsm: JetStreamManager,
  queue: string,
  given: QueueOptions,
): Promise<Required<QueueOptions>> {
  const stream = queueStream(queue);
  const dedupWindowMs = given.dedupWindowMs ?? QUEUE_DEFAULTS.dedupWindowMs;
  // without de-duplication no message carries an id, so the stream keeps the server's default window
  const window = dedupWindowMs > 0 ? { duplicate_window: nanos(dedupWindowMs) } : {};
  let info: Awaited<ReturnType<JetStreamManager['streams']['info']>>;
  try {
    info = await jsm.streams.add({
      name: stream,
      subjects: [queueSubject(queue)],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      ...window,
    });
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === STREAM_NAME_IN_USE)) throw error;
    info = await jsm.streams.info(stream);
    if (given.dedupWindowMs !== undefined && given.dedupWindowMs > 0) {
      info = await jsm.streams.update(stream, window);
    }
  }

  let consumer = await jsm.consumers.info(stream, QUEUE_CONSUMER).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  if (!consumer) {
    consumer = await jsm.consumers.add(stream, {
      durable_name: QUEUE_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(given.leaseMs ?? QUEUE_DEFAULTS.leaseMs),
      // dead-lettering after maxDeliveries is ours, so it can keep each delivery's error
      max_deliver: -1,
      // tasks waiting out a nak delay count as pending acks; a cap would stall the queue behind them
      max_ack_pending: -1,
    });
  } else if (given.leaseMs !== undefined && millis(consumer.config.ack_wait ?? 0) !== given.leaseMs) {
    consumer = await jsm.consumers.update(stream, QUEUE_CONSUMER, { ack_wait: nanos(given.leaseMs) });
  }

  return {
    leaseMs: millis(consumer.config.ack_wait ?? nanos(QUEUE_DEFAULTS.leaseMs)),
    maxDeliveries: given.maxDeliveries ?? QUEUE_DEFAULTS.maxDeliveries,
    dedupWindowMs: given.dedupWindowMs === 0 ? 0 : millis(info.config.duplicate_window),
  };
}
