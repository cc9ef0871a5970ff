import type { KvStore } from './backend.js';

/**
 * A leader lease on any backend's key-value store: the holder writes
 * `leader.<role>` with a TTL and renews it by compare-and-set on the revision
 * it last wrote. The revision is the fencing token: a holder that paused past
 * its TTL (a GC stall, a partition) finds its revision stale, cannot renew,
 * and must stop acting, while another node takes the lease with create().
 */
export class LeaderLease {
  private revision: number | undefined;
  private readonly key: string;

  constructor(
    private readonly kv: KvStore,
    readonly role: string,
    readonly holder: string,
    readonly ttlMs: number,
  ) {
    this.key = `leader.${role}`;
  }

  /** Takes or renews the lease; false when another node holds it. */
  async tryAcquire(): Promise<boolean> {
    const value = { holder: this.holder, since: Date.now() };
    if (this.revision !== undefined) {
      const renewed = await this.kv.update(this.key, value, this.revision, { ttlMs: this.ttlMs });
      this.revision = renewed;
      if (renewed !== undefined) return true;
    }
    this.revision = await this.kv.create(this.key, value, { ttlMs: this.ttlMs });
    return this.revision !== undefined;
  }

  /** True only while the stored lease is still the one this holder wrote. */
  async stillLeader(): Promise<boolean> {
    if (this.revision === undefined) return false;
    const entry = await this.kv.get(this.key);
    if (entry?.revision === this.revision) return true;
    this.revision = undefined;
    return false;
  }

  /** The fencing token of the current term, if this node holds the lease. */
  get token(): number | undefined {
    return this.revision;
  }

  async holderName(): Promise<string | undefined> {
    const entry = await this.kv.get(this.key);
    return (entry?.value as { holder?: string } | undefined)?.holder;
  }

  async release(): Promise<void> {
    if (this.revision === undefined) return;
    await this.kv.delete(this.key, { revision: this.revision });
    this.revision = undefined;
  }
}
