import type { KvStore } from './backend.js';
import { CronSchedule } from './cron.js';
import { LeaderLease } from './leader-lease.js';

export interface Trigger {
  name: string;
  cron: string;
  fire(at: Date): Promise<void>;
}

export interface SchedulerOptions {
  kv: KvStore;
  /** This node's name, recorded as the lease holder. */
  node: string;
  leaseMs?: number;
  triggers?: Trigger[];
  /** Periodic duty of the leader (e.g. repairing stalled workflow runs). */
  sweep?: () => Promise<void>;
  onLeadership?(leader: boolean): void;
  onError?(error: unknown): void;
}

/**
 * The scheduler role: exactly one node at a time, through the leader lease.
 * It renews the lease five times per period, so a dead leader is replaced
 * within one lease period; every action first checks that the lease is still
 * this node's (fencing), so a leader that comes back after a pause with a
 * stale revision does nothing.
 */
export class Scheduler {
  private readonly lease: LeaderLease;
  private readonly schedules: { trigger: Trigger; schedule: CronSchedule }[];
  private timer: NodeJS.Timeout | undefined;
  private leader = false;
  private lastTick = new Date();
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly options: SchedulerOptions) {
    this.lease = new LeaderLease(options.kv, 'scheduler', options.node, options.leaseMs ?? 15_000);
    this.schedules = (options.triggers ?? []).map((trigger) => ({
      trigger,
      schedule: new CronSchedule(trigger.cron),
    }));
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): this {
    // renewing and polling five times per lease period: a dead leader is replaced about one period after it died
    const every = Math.max(20, Math.floor(this.lease.ttlMs / 5));
    const tick = () => {
      this.ticking = this.tick().catch((error) => this.options.onError?.(error));
    };
    tick();
    this.timer = setInterval(tick, every);
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    if (this.leader) await this.lease.release();
    this.setLeader(false);
  }

  private async tick(): Promise<void> {
    this.setLeader(await this.lease.tryAcquire());
    if (!this.leader) return;
    const now = new Date();
    for (const { trigger, schedule } of this.schedules) {
      for (let at = schedule.next(this.lastTick); at <= now; at = schedule.next(at)) {
        if (!(await this.lease.stillLeader())) return this.setLeader(false);
        await this.fireOnce(trigger, at);
      }
    }
    this.lastTick = now;
    if (this.options.sweep && (await this.lease.stillLeader())) await this.options.sweep();
  }

  /** A trigger time fires once cluster-wide, even across a change of leader. */
  private async fireOnce(trigger: Trigger, at: Date): Promise<void> {
    const claimed = await this.options.kv.create(
      `fired.${trigger.name}.${at.getTime()}`,
      { by: this.options.node },
      { ttlMs: 86_400_000 },
    );
    if (claimed !== undefined) await trigger.fire(at);
  }

  private setLeader(leader: boolean): void {
    if (leader !== this.leader) this.options.onLeadership?.(leader);
    this.leader = leader;
  }
}
