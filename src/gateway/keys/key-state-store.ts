import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Json, KvStore } from '../../engine/backend.js';
import { KeyStateCorruptError, KeyStateUnavailableError } from '../errors.js';
import { emptyWindow } from './rate-window.js';

const windowSchema = z.object({ start: z.number(), current: z.number(), previous: z.number() });

/**
 * One key's limits as stored, shared by every gateway on the same engine
 * backend: the budget period it is in and what was spent in it, the spend
 * each gateway process has reserved for requests still running (a hold
 * lapses at `until`, so a gateway that dies does not keep its reservations
 * for ever), and the per-minute windows.
 */
export const keyStateSchema = z.object({
  period: z.number(),
  spentUsd: z.number(),
  holds: z.record(z.string(), z.object({ usd: z.number(), until: z.number() })),
  rpm: windowSchema,
  tpm: windowSchema,
});
export type KeyState = z.output<typeof keyStateSchema>;

export function emptyKeyState(): KeyState {
  return { period: 0, spentUsd: 0, holds: {}, rpm: emptyWindow(), tpm: emptyWindow() };
}

/** A change to a key's state; it may throw to refuse, and must depend only on the state it is given. */
export type KeyOp<R> = (state: KeyState) => R;

interface Pending {
  op: KeyOp<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  cached: { state: KeyState; revision: number } | undefined;
  queue: Pending[];
  flushing: boolean;
}

/**
 * Key state on the engine's key-value store, changed only by
 * compare-and-set: an admission or a settlement reads the key's state,
 * applies its change and writes it back at the revision it read; if another
 * gateway wrote in between, it reads again and re-applies. Within one
 * process the changes to a key are serialised and grouped: every change that
 * arrived while a write was in flight goes into the next write (group
 * commit), so a burst of concurrent requests costs a few round trips, not
 * one each, and reservations stay exact however many gateways share the key.
 */
export class KeyStateStore {
  /** This process's name in holds. */
  readonly holder = `gw-${randomBytes(6).toString('hex')}`;
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly kv: KvStore) {}

  get location(): string {
    return this.kv.bucket;
  }

  /** Reads the stored state of these keys, so snapshots show it before their first request. */
  async load(ids: readonly string[]): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        const slot = this.slot(id);
        slot.cached = await this.read(id);
      }),
    );
  }

  /** The state as this process last read or wrote it. */
  cached(id: string): KeyState | undefined {
    return this.slots.get(id)?.cached?.state;
  }

  apply<R>(id: string, op: KeyOp<R>): Promise<R> {
    const slot = this.slot(id);
    return new Promise<R>((resolve, reject) => {
      slot.queue.push({ op, resolve: resolve as (value: unknown) => void, reject });
      if (!slot.flushing) void this.flush(id, slot);
    });
  }

  private slot(id: string): Slot {
    let slot = this.slots.get(id);
    if (!slot) {
      slot = { cached: undefined, queue: [], flushing: false };
      this.slots.set(id, slot);
    }
    return slot;
  }

  private async flush(id: string, slot: Slot): Promise<void> {
    slot.flushing = true;
    try {
      while (slot.queue.length > 0) {
        const batch = slot.queue;
        slot.queue = [];
        try {
          const outcomes = await this.commit(id, slot, batch);
          batch.forEach((p, i) => {
            const outcome = outcomes[i] as { ok: boolean; value: unknown };
            if (outcome.ok) p.resolve(outcome.value);
            else p.reject(outcome.value);
          });
        } catch (error) {
          // The store itself failed: every change in the batch fails with it, and the next batch re-reads.
          slot.cached = undefined;
          const failure =
            error instanceof KeyStateCorruptError ? error : new KeyStateUnavailableError(id, error);
          for (const p of batch) p.reject(failure);
        }
      }
    } finally {
      slot.flushing = false;
    }
  }

  private async commit(id: string, slot: Slot, batch: Pending[]): Promise<{ ok: boolean; value: unknown }[]> {
    for (;;) {
      const base = slot.cached ?? (await this.read(id));
      const state = structuredClone(base?.state ?? emptyKeyState());
      const outcomes = batch.map((p) => {
        try {
          return { ok: true, value: p.op(state) };
        } catch (error) {
          return { ok: false, value: error };
        }
      });
      if (!outcomes.some((o) => o.ok)) return outcomes;
      const key = storeKey(id);
      const value = state as unknown as Json;
      const revision = base
        ? await this.kv.update(key, value, base.revision)
        : await this.kv.create(key, value);
      if (revision !== undefined) {
        slot.cached = { state, revision };
        return outcomes;
      }
      // Another gateway wrote first: read its state and apply the whole batch again.
      slot.cached = await this.read(id);
    }
  }

  private async read(id: string): Promise<{ state: KeyState; revision: number } | undefined> {
    const entry = await this.kv.get(storeKey(id));
    if (!entry) return undefined;
    const parsed = keyStateSchema.safeParse(entry.value);
    if (!parsed.success)
      throw new KeyStateCorruptError(id, this.kv.bucket, parsed.error.issues[0]?.message ?? '');
    return { state: parsed.data, revision: entry.revision };
  }
}

function storeKey(id: string): string {
  return `keys/${id}`;
}
