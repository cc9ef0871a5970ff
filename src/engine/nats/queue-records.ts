import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { type KV, type KvEntry, Kvm } from '@nats-io/kv';
import type { DeadLetter } from '../backend.js';
import { isNotFound, isWrongLastSequence } from './api-errors.js';
import { deadLetterBucket, kvStream, taskBucket } from './nats-names.js';
import { deadLetterSchema, decodeRecord, type TaskRecord, taskRecordSchema } from './stored-records.js';

/**
 * The two KV buckets beside a queue's stream: the records of tasks in flight
 * that were handed back or redelivered (keyed by stream sequence, so a record
 * can never be confused with a later task of the same id), and the dead
 * letters. A first delivery that is acked writes nothing here.
 */
export class QueueRecords {
  private constructor(
    private readonly jsm: JetStreamManager,
    private readonly tasks: KV,
    private readonly tasksBucket: string,
    private readonly dead: KV,
    private readonly where: string,
  ) {}

  static async open(js: JetStreamClient, jsm: JetStreamManager, queue: string): Promise<QueueRecords> {
    const kvm = new Kvm(js);
    // reads must see the stream leader's latest write: a record is a fencing token, not a cache
    const options = { history: 1, allow_direct: false };
    const [tasks, dead] = await Promise.all([
      kvm.create(taskBucket(queue), options),
      kvm.create(deadLetterBucket(queue), options),
    ]);
    return new QueueRecords(jsm, tasks, taskBucket(queue), dead, `queue ${queue}`);
  }

  /** The record of the task at `seq` and its revision; revision 0 when there is none. */
  async read(seq: number): Promise<{ record: TaskRecord | undefined; revision: number }> {
    const entry = await this.tasks.get(String(seq));
    if (entry?.operation !== 'PUT') return { record: undefined, revision: 0 };
    return { record: this.decodeTask(entry), revision: entry.revision };
  }

  /** Compare-and-set on the revision (0: only if there is none); undefined when another write came first. */
  async write(seq: number, record: TaskRecord, revision: number): Promise<number | undefined> {
    try {
      return await this.tasks.put(String(seq), JSON.stringify(record), { previousSeq: revision });
    } catch (error) {
      if (isWrongLastSequence(error)) return undefined;
      throw error;
    }
  }

  /** Removes the record without leaving a delete marker behind, once its task is gone for good. */
  async forget(seq: number): Promise<void> {
    await this.jsm.streams.purge(kvStream(this.tasksBucket), {
      filter: `$KV.${this.tasksBucket}.${seq}`,
    });
  }

  /** Keyed by stream sequence, so burying the same delivery twice (after a lost term) stores it once. */
  async bury(seq: number, letter: DeadLetter): Promise<void> {
    await this.dead.put(String(seq), JSON.stringify(letter));
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const letters: { revision: number; letter: DeadLetter }[] = [];
    for await (const entry of await this.dead.history()) {
      if (entry.operation !== 'PUT') continue;
      letters.push({
        revision: entry.revision,
        letter: decodeRecord(deadLetterSchema, entry.value, `dead letters of ${this.where}`),
      });
    }
    letters.sort((a, b) => a.letter.deadAt - b.letter.deadAt || a.revision - b.revision);
    return letters.map((l) => l.letter);
  }

  async countDead(): Promise<number> {
    return (await this.dead.status()).values;
  }

  /** Tasks handed back by nak() and not yet delivered again: ready, though JetStream counts them as pending acks. */
  async countHandedBack(): Promise<number> {
    let count = 0;
    for await (const entry of await this.tasks.history()) {
      if (entry.operation === 'PUT' && this.decodeTask(entry).back) count++;
    }
    return count;
  }

  async destroy(): Promise<void> {
    for (const kv of [this.tasks, this.dead]) {
      try {
        await kv.destroy();
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }

  private decodeTask(entry: KvEntry): TaskRecord {
    return decodeRecord(taskRecordSchema, entry.value, `task records of ${this.where}`);
  }
}
