export * from './backend.js';
export { CronSchedule, CronSyntaxError } from './cron.js';
export * from './errors.js';
export { LeaderLease } from './leader-lease.js';
export { openBackend } from './open-backend.js';
export { Scheduler, type SchedulerOptions, type Trigger } from './scheduler.js';
export { PermanentTaskError, type TaskHandler, Worker, type WorkerOptions } from './worker.js';
export { WORKERS_BUCKET, type WorkerRecord, WorkerRegistry, workerRecordSchema } from './worker-registry.js';
