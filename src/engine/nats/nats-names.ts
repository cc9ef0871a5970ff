/**
 * Where each Swarm object lives on a NATS server. Everything is prefixed
 * with `swarm` so Swarm can share an account with other applications, and
 * user buckets (`swarm_kv_*`) can never collide with a queue's own buckets
 * (`swarm_queue_*`), whatever names the caller picks.
 */

/** The work-queue stream of a queue: one per queue, so each has its own ack_wait and duplicate_window. */
export const queueStream = (queue: string) => `swarm_queue_${queue}`;
export const queueSubject = (queue: string) => `swarm.queue.${queue}`;
/** The one durable pull consumer every worker of a queue shares. */
export const QUEUE_CONSUMER = 'workers';
/** In-flight records of tasks that were redelivered or handed back: holder and errors so far. */
export const taskBucket = (queue: string) => `swarm_queue_${queue}_tasks`;
export const deadLetterBucket = (queue: string) => `swarm_queue_${queue}_dead`;
export const userBucket = (bucket: string) => `swarm_kv_${bucket}`;
/** The stream behind a KV bucket, as @nats-io/kv names it. */
export const kvStream = (bucket: string) => `KV_${bucket}`;
