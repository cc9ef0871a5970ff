import { type KV, KvWatchInclude, type KvEntry as NatsEntry } from '@nats-io/kv';
import type { Json, KvChange, KvEntry, KvOptions, KvStore } from '../backend.js';
import { checkKey } from '../names.js';
import { isNotFound, isWrongLastSequence } from './api-errors.js';
import { decodeRecord, type KvEnvelope, kvEnvelopeSchema } from './stored-records.js';
import { reaching } from './unavailable.js';

/**
 * A JetStream KV bucket (history 1) holding each value in an envelope
 * `{v, exp?}`. The server in use (2.9) has no per-key TTL, so expiry is
 * decided on read against `exp`: an expired entry is absent to get(),
 * update(), delete() and keys(), and create() takes its place with a
 * compare-and-set at its revision. Expiry therefore follows the clocks of
 * the writer and the reader, and an expired value stays stored (and sends no
 * watch event) until it is overwritten or deleted.
 */
export class NatsKv implements KvStore {
  private readonly where: string;

  constructor(
    private readonly kv: KV,
    readonly bucket: string,
    private readonly location: string,
  ) {
    this.where = `bucket ${bucket}`;
  }

  async get(key: string): Promise<KvEntry | undefined> {
    checkKey(key);
    return reaching(this.location, async () => {
      const current = this.live(await this.kv.get(key));
      return current && { key, ...current };
    });
  }

  async put(key: string, value: Json, options?: KvOptions): Promise<number> {
    checkKey(key);
    return reaching(this.location, () => this.kv.put(key, this.encode(value, options)));
  }

  async create(key: string, value: Json, options?: KvOptions): Promise<number | undefined> {
    checkKey(key);
    return reaching(this.location, async () => {
      const data = this.encode(value, options);
      const created = await this.swap(key, data, 0);
      if (created !== undefined) return created;
      // something is stored: a delete marker or an expired value may be replaced, at its revision
      const stored = await this.kv.get(key);
      if (!stored || this.live(stored)) return undefined;
      return this.swap(key, data, stored.revision);
    });
  }

  async update(key: string, value: Json, revision: number, options?: KvOptions): Promise<number | undefined> {
    checkKey(key);
    return reaching(this.location, async () => {
      // the revision alone would let a holder renew a value that has already expired
      const current = this.live(await this.kv.get(key));
      if (current?.revision !== revision) return undefined;
      return this.swap(key, this.encode(value, options), revision);
    });
  }

  async delete(key: string, options: { revision?: number } = {}): Promise<boolean> {
    checkKey(key);
    return reaching(this.location, async () => {
      for (;;) {
        const current = this.live(await this.kv.get(key));
        if (!current) return false;
        if (options.revision !== undefined && current.revision !== options.revision) return false;
        try {
          await this.kv.delete(key, { previousSeq: current.revision });
          return true;
        } catch (error) {
          if (!isWrongLastSequence(error)) throw error;
          if (options.revision !== undefined) return false;
          // an unconditional delete raced another write: look again
        }
      }
    });
  }

  async keys(prefix = ''): Promise<string[]> {
    return reaching(this.location, async () => {
      const keys: string[] = [];
      // a bucket of history 1 replays exactly one entry, the latest, per key
      for await (const entry of await this.kv.history({ key: subjectFilter(prefix) })) {
        if (entry.key.startsWith(prefix) && this.live(entry)) keys.push(entry.key);
      }
      return keys.sort();
    });
  }

  async watch(prefix: string, onChange: (change: KvChange) => void): Promise<() => void> {
    return reaching(this.location, async () => {
      const changes = await this.kv.watch({
        key: subjectFilter(prefix),
        include: KvWatchInclude.UpdatesOnly,
      });
      // the watch ends when the bucket is destroyed or the connection closes for good; there is no one to tell
      this.relay(changes, prefix, onChange).catch(() => undefined);
      return () => changes.stop();
    });
  }

  async destroy(): Promise<void> {
    return reaching(this.location, async () => {
      try {
        await this.kv.destroy();
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
  }

  private async relay(
    changes: AsyncIterable<NatsEntry>,
    prefix: string,
    onChange: (change: KvChange) => void,
  ): Promise<void> {
    for await (const entry of changes) {
      if (!entry.key.startsWith(prefix)) continue;
      let value: Json | undefined;
      if (entry.operation === 'PUT') {
        try {
          value = decodeRecord(kvEnvelopeSchema, entry.value, this.where).v;
        } catch {
          // a value Swarm did not write is no change get() could return either
          continue;
        }
      }
      onChange({ key: entry.key, value, revision: entry.revision });
    }
  }

  private encode(value: Json, options: KvOptions | undefined): string {
    const envelope: KvEnvelope =
      options?.ttlMs === undefined ? { v: value } : { v: value, exp: Date.now() + options.ttlMs };
    return JSON.stringify(envelope);
  }

  /** The live value of a stored entry: undefined for delete markers and expired values. */
  private live(entry: NatsEntry | null): { value: Json; revision: number } | undefined {
    if (entry?.operation !== 'PUT') return undefined;
    const envelope = decodeRecord(kvEnvelopeSchema, entry.value, this.where);
    if (envelope.exp !== undefined && envelope.exp <= Date.now()) return undefined;
    return { value: envelope.v, revision: entry.revision };
  }

  /** Compare-and-set on the key's last revision (0: no entry at all); undefined when it moved. */
  private async swap(key: string, data: string, revision: number): Promise<number | undefined> {
    try {
      return await this.kv.put(key, data, { previousSeq: revision });
    } catch (error) {
      if (isWrongLastSequence(error)) return undefined;
      throw error;
    }
  }
}

/** The narrowest subject filter covering every key that starts with `prefix`; callers still match the prefix. */
function subjectFilter(prefix: string): string {
  const lastDot = prefix.lastIndexOf('.');
  return lastDot < 0 ? '>' : `${prefix.slice(0, lastDot + 1)}>`;
}
