/**
 * The one interface every engine backend implements: a task queue with
 * leases, a key-value store with compare-and-set and watch, and (built on
 * the key-value store, in leader-lease.ts) a leader lease. The embedded
 * SQLite backend and the NATS JetStream backend pass the same conformance
 * suite (test/support/backend-conformance.ts).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface QueueOptions {
  /** How long a claimed task stays with its worker before it is handed to another. */
  leaseMs?: number;
  /** Deliveries after which a task that still fails goes to the dead-letter list. */
  maxDeliveries?: number;
  /** Window within which a second enqueue with the same id is dropped. */
  dedupWindowMs?: number;
}

export const QUEUE_DEFAULTS: Required<QueueOptions> = {
  leaseMs: 30_000,
  maxDeliveries: 5,
  dedupWindowMs: 120_000,
};

export interface NewTask {
  /** De-duplication id: a second enqueue with the same id inside the window is dropped. */
  id: string;
  payload: Json;
  /** Small string metadata carried with the task (trace context, tenant). */
  headers?: Record<string, string>;
}

export interface TaskInfo {
  id: string;
  payload: Json;
  headers: Record<string, string>;
  /** 1 on the first delivery. */
  deliveries: number;
  enqueuedAt: number;
}

/** A task held under a lease. Exactly one of ack, nak or deadLetter ends the claim. */
export interface ClaimedTask extends TaskInfo {
  /** Renews the lease for another full lease period (a heartbeat while the work runs). */
  extend(): Promise<void>;
  /** Done: the task is removed. Throws `LeaseLostError` if the lease had already passed to another worker. */
  ack(): Promise<void>;
  /** Not done: hand it back for another delivery after `delayMs`, recording why. */
  nak(options?: { delayMs?: number; error?: string }): Promise<void>;
  /** Give up now: move it to the dead-letter list with the reason. */
  deadLetter(error: string): Promise<void>;
}

export interface DeadLetter {
  id: string;
  payload: Json;
  headers: Record<string, string>;
  deliveries: number;
  /** The error of each failed delivery, oldest first. */
  errors: string[];
  deadAt: number;
}

export interface QueueStats {
  /** Waiting to be claimed. */
  ready: number;
  /** Claimed, lease not yet expired. */
  leased: number;
  deadLetters: number;
}

export interface TaskQueue {
  readonly name: string;
  readonly options: Required<QueueOptions>;
  /** `duplicate` is true when a task with this id was enqueued inside the dedup window. */
  enqueue(task: NewTask): Promise<{ duplicate: boolean }>;
  /** The next task, waiting up to `waitMs` (default 0) for one to arrive. */
  claim(options?: { waitMs?: number; signal?: AbortSignal }): Promise<ClaimedTask | undefined>;
  deadLetters(): Promise<DeadLetter[]>;
  stats(): Promise<QueueStats>;
  /** Removes the queue and everything in it (tests, and `swarm engine reset`). */
  destroy(): Promise<void>;
}

export interface KvEntry {
  key: string;
  value: Json;
  /** Increases on every write to the bucket; compare-and-set compares it. */
  revision: number;
}

export interface KvChange {
  key: string;
  /** Undefined when the key was deleted or expired. */
  value: Json | undefined;
  revision: number;
}

export interface KvOptions {
  /** Entries written with a TTL vanish after it. */
  ttlMs?: number;
}

export interface KvStore {
  readonly bucket: string;
  get(key: string): Promise<KvEntry | undefined>;
  /** Unconditional write; returns the new revision. */
  put(key: string, value: Json, options?: KvOptions): Promise<number>;
  /** Writes only if the key is absent (or expired); undefined if it exists. */
  create(key: string, value: Json, options?: KvOptions): Promise<number | undefined>;
  /** Writes only if the key's revision is `revision`; undefined if it changed. */
  update(key: string, value: Json, revision: number, options?: KvOptions): Promise<number | undefined>;
  /** Deletes the key, only at `revision` when given; false if it was absent or changed. */
  delete(key: string, options?: { revision?: number }): Promise<boolean>;
  /** Keys starting with `prefix`, sorted. */
  keys(prefix?: string): Promise<string[]>;
  /** Calls `onChange` for every later change to keys starting with `prefix`, until the returned stop(). */
  watch(prefix: string, onChange: (change: KvChange) => void): Promise<() => void>;
  destroy(): Promise<void>;
}

export interface Backend {
  readonly kind: 'sqlite' | 'nats';
  /** Where it lives, for messages: a file path or a server URL. */
  readonly location: string;
  queue(name: string, options?: QueueOptions): Promise<TaskQueue>;
  kv(bucket: string): Promise<KvStore>;
  close(): Promise<void>;
}

/** Queue names, buckets and keys use the characters every backend accepts (NATS subjects and KV keys). */
export const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const KEY_PATTERN = /^[a-zA-Z0-9_\-=/.]{1,512}$/;
