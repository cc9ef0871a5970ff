import type { ClaimedTask, QueueOptions } from '../backend.js';
import { LeaseLostError } from '../errors.js';
import type { Delivery } from './delivery.js';
import type { QueueRecords } from './queue-records.js';
import type { TaskMessage } from './stored-records.js';
import { reaching } from './unavailable.js';

export interface LeaseContext {
  queue: string;
  /** The server URL, for errors. */
  location: string;
  options: Required<QueueOptions>;
  records: QueueRecords;
  /** False once the message left the stream (acked or terminated by whoever held it). */
  isQueued(seq: number): Promise<boolean>;
}

/**
 * A claimed task and the fencing that JetStream does not do: the server
 * accepts an ack from any past delivery of a message, so an old holder whose
 * lease expired would silently finish a task another worker now runs.
 *
 * The fence costs nothing while the lease is surely still ours: until
 * `leaseUntil`, measured on this machine from the moment the pull or the
 * last confirmed heartbeat was sent (before the server started its timer),
 * minus a margin for the answer's trip, no one else can have the message.
 * Past that point every answer first checks that the task's record is still
 * at the revision this holder last saw (every redelivery rewrites it) and
 * that the message is still in the stream (a later holder may have acked it
 * already). A holder that finds either changed gets `LeaseLostError`.
 */
export class TaskLease {
  private leaseUntil: number;
  private ended = false;

  constructor(
    private readonly context: LeaseContext,
    private readonly delivery: Delivery,
    private readonly message: TaskMessage,
    leaseStart: number,
    /** Revision of this task's record as this holder last wrote or read it; 0 for none. */
    private revision: number,
    private errors: string[],
  ) {
    this.leaseUntil = leaseStart + this.lifetime();
  }

  get task(): ClaimedTask {
    return {
      id: this.message.id,
      payload: this.message.payload,
      headers: this.message.headers,
      deliveries: this.delivery.deliveries,
      enqueuedAt: this.message.enqueuedAt,
      extend: () => reaching(this.context.location, () => this.extend()),
      ack: () => reaching(this.context.location, () => this.ack()),
      nak: (options) => reaching(this.context.location, () => this.nak(options)),
      deadLetter: (error) => reaching(this.context.location, () => this.deadLetter(error)),
    };
  }

  private lifetime(): number {
    const { leaseMs } = this.context.options;
    return leaseMs - Math.min(leaseMs / 10, 1000);
  }

  private lost(what: string): LeaseLostError {
    return new LeaseLostError(`${what} task ${this.message.id} in queue ${this.context.queue}`);
  }

  private async verify(what: string): Promise<void> {
    if (this.ended) throw this.lost(what);
    if (performance.now() < this.leaseUntil) return;
    const seq = this.delivery.streamSeq;
    const [current, queued] = await Promise.all([this.context.records.read(seq), this.context.isQueued(seq)]);
    if (!queued || current.revision !== this.revision) throw this.lost(what);
  }

  private async extend(): Promise<void> {
    await this.verify('extend');
    const sentAt = performance.now();
    await this.delivery.working();
    this.leaseUntil = sentAt + this.lifetime();
  }

  private async ack(): Promise<void> {
    await this.verify('ack');
    await this.delivery.ack();
    this.ended = true;
    await this.forgetRecord();
  }

  private async nak({ delayMs = 0, error = 'handed back' }: { delayMs?: number; error?: string } = {}) {
    if (this.delivery.deliveries >= this.context.options.maxDeliveries) return this.deadLetter(error);
    await this.verify('nak');
    const errors = [...this.errors, error];
    const record = { delivery: this.delivery.deliveries, errors, back: true };
    // the write is itself fenced: it fails if a redelivery rewrote the record since this holder saw it
    const revision = await this.context.records.write(this.delivery.streamSeq, record, this.revision);
    if (revision === undefined) throw this.lost('nak');
    this.revision = revision;
    this.errors = errors;
    await this.delivery.nak(delayMs);
    this.ended = true;
  }

  private async deadLetter(error: string): Promise<void> {
    await this.verify('dead-letter');
    const { id, payload, headers } = this.message;
    await this.context.records.bury(this.delivery.streamSeq, {
      id,
      payload,
      headers,
      deliveries: this.delivery.deliveries,
      errors: [...this.errors, error],
      deadAt: Date.now(),
    });
    await this.delivery.term();
    this.ended = true;
    await this.forgetRecord();
  }

  private async forgetRecord(): Promise<void> {
    if (this.revision === 0) return;
    // the task is done; should this fail, the leftover record is inert, as its stream sequence never comes back
    await this.context.records.forget(this.delivery.streamSeq).catch(() => undefined);
  }
}
