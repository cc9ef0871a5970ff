import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { ClaimedTask, DeadLetter, NewTask, QueueOptions, QueueStats, TaskQueue } from '../backend.js';
import { EngineDataError, LeaseLostError } from '../errors.js';
import { isNotFound } from './api-errors.js';
import { Delivery } from './delivery.js';
import { QUEUE_CONSUMER, queueStream, queueSubject } from './nats-names.js';
import { pullOne } from './pull-one.js';
import { QueueRecords } from './queue-records.js';
import { openQueueStream } from './queue-stream.js';
import { decodeRecord, type TaskMessage, taskMessageSchema } from './stored-records.js';
import { type LeaseContext, TaskLease } from './task-lease.js';
import { reaching } from './unavailable.js';

/** Pause after the server refused a pull (a leader change, too many waiting pulls). */
const BUSY_PAUSE_MS = 100;
/** Below this much wait left, one pull that the server answers at once is all there is time for. */
const MIN_WAIT_MS = 20;

export interface NatsClients {
  /** The server URL without credentials, for errors. */
  location: string;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/**
 * A task queue on JetStream: a work-queue stream with one durable pull
 * consumer (explicit acks, ack_wait = the lease, no max_deliver), publish
 * de-duplication by message id, and two KV buckets (queue-records.ts) for
 * what JetStream does not keep: each delivery's error, the fencing of an old
 * holder (task-lease.ts), and the dead letters.
 */
export class NatsQueue implements TaskQueue {
  private readonly stream: string;
  private readonly subject: string;
  private readonly context: LeaseContext;

  private constructor(
    private readonly clients: NatsClients,
    readonly name: string,
    readonly options: Required<QueueOptions>,
    private readonly records: QueueRecords,
  ) {
    this.stream = queueStream(name);
    this.subject = queueSubject(name);
    this.context = {
      queue: name,
      location: clients.location,
      options,
      records,
      isQueued: async (seq) => (await clients.jsm.streams.getMessage(this.stream, { seq })) !== null,
    };
  }

  static open(clients: NatsClients, name: string, given: QueueOptions): Promise<NatsQueue> {
    return reaching(clients.location, async () => {
      const options = await openQueueStream(clients.jsm, name, given);
      const records = await QueueRecords.open(clients.js, clients.jsm, name);
      return new NatsQueue(clients, name, options, records);
    });
  }

  enqueue(task: NewTask): Promise<{ duplicate: boolean }> {
    return reaching(this.location, () => this.publish(task));
  }

  claim(options: { waitMs?: number; signal?: AbortSignal } = {}): Promise<ClaimedTask | undefined> {
    return reaching(this.location, () => this.pull(options));
  }

  deadLetters(): Promise<DeadLetter[]> {
    return reaching(this.location, () => this.records.deadLetters());
  }

  stats(): Promise<QueueStats> {
    return reaching(this.location, () => this.count());
  }

  destroy(): Promise<void> {
    return reaching(this.location, () => this.remove());
  }

  private get location(): string {
    return this.clients.location;
  }

  private async publish(task: NewTask): Promise<{ duplicate: boolean }> {
    const message: TaskMessage = {
      id: task.id,
      payload: task.payload,
      headers: task.headers ?? {},
      enqueuedAt: Date.now(),
    };
    const ack = await this.clients.js.publish(
      this.subject,
      JSON.stringify(message),
      this.options.dedupWindowMs > 0 ? { msgID: task.id } : {},
    );
    return { duplicate: ack.duplicate };
  }

  private async pull(options: { waitMs?: number; signal?: AbortSignal }): Promise<ClaimedTask | undefined> {
    const { signal } = options;
    const deadline = performance.now() + (options.waitMs ?? 0);
    // a long pull would date the lease from its start; a quarter lease keeps most of it usable without a check
    const longestPull = Math.max(100, this.options.leaseMs / 4);
    for (;;) {
      const left = deadline - performance.now();
      const pulledAt = performance.now();
      const outcome = await pullOne(this.clients.nc, this.stream, QUEUE_CONSUMER, {
        waitMs: left < MIN_WAIT_MS ? 0 : Math.min(left, longestPull),
        signal,
        onOrphan: (msg) => Delivery.from(this.clients.nc, msg)?.handBack(),
      });
      if (typeof outcome !== 'string') {
        const lease = await this.accept(outcome, pulledAt).catch((error: unknown) => {
          // nobody will work on it: hand it back now rather than after a whole lease
          Delivery.from(this.clients.nc, outcome)?.handBack();
          throw error;
        });
        if (lease) return lease.task;
        continue;
      }
      if (deadline - performance.now() < MIN_WAIT_MS || signal?.aborted) return undefined;
      if (outcome === 'busy') await new Promise((r) => setTimeout(r, BUSY_PAUSE_MS));
    }
  }

  /** Turns a delivery into a lease, or dead-letters it and returns undefined. */
  private async accept(msg: Msg, pulledAt: number): Promise<TaskLease | undefined> {
    const delivery = Delivery.from(this.clients.nc, msg);
    if (!delivery)
      throw new EngineDataError(`queue ${this.name}`, `a delivery without a JetStream reply subject`);
    const seq = delivery.streamSeq;
    let message: TaskMessage;
    try {
      message = decodeRecord(taskMessageSchema, msg.data, `queue ${this.name}`);
    } catch (error) {
      // a message Swarm did not publish would otherwise come back forever
      await this.bury(delivery, { id: `seq-${seq}`, payload: msg.string(), headers: {} }, [
        (error as Error).message,
      ]);
      return undefined;
    }
    if (delivery.deliveries === 1) return new TaskLease(this.context, delivery, message, pulledAt, 0, []);

    let { record, revision } = await this.records.read(seq);
    for (let attempt = 0; attempt < 3; attempt++) {
      const errors = record?.errors ?? [];
      if (delivery.deliveries > this.options.maxDeliveries) {
        const last = delivery.deliveries - 1;
        await this.bury(delivery, message, [...errors, `lease expired on delivery ${last}`], last);
        if (revision !== 0) await this.records.forget(seq);
        return undefined;
      }
      // the new holder's record is what makes the previous holder's late answers fail
      const written = await this.records.write(
        seq,
        { delivery: delivery.deliveries, errors, back: false },
        revision,
      );
      if (written !== undefined)
        return new TaskLease(this.context, delivery, message, pulledAt, written, errors);
      ({ record, revision } = await this.records.read(seq));
    }
    throw new LeaseLostError(`claim task ${message.id} in queue ${this.name}`);
  }

  private async bury(
    delivery: Delivery,
    task: Pick<TaskMessage, 'id' | 'payload' | 'headers'>,
    errors: string[],
    deliveries = delivery.deliveries,
  ): Promise<void> {
    const { id, payload, headers } = task;
    await this.records.bury(delivery.streamSeq, {
      id,
      payload,
      headers,
      deliveries,
      errors,
      deadAt: Date.now(),
    });
    await delivery.term();
  }

  private async count(): Promise<QueueStats> {
    const [consumer, handedBack, deadLetters] = await Promise.all([
      this.clients.jsm.consumers.info(this.stream, QUEUE_CONSUMER),
      this.records.countHandedBack(),
      this.records.countDead(),
    ]);
    return {
      ready: consumer.num_pending + handedBack,
      leased: Math.max(0, consumer.num_ack_pending - handedBack),
      deadLetters,
    };
  }

  private async remove(): Promise<void> {
    // records first: an orphaned record bucket could mislead a later queue of the same name, an orphaned stream cannot
    await this.records.destroy();
    try {
      await this.clients.jsm.streams.delete(this.stream);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
