import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../engine/backend.js';
import { openBackend } from '../../engine/open-backend.js';
import {
  KeyBudgetError,
  KeyRateLimitError,
  KeyStateCorruptError,
  KeyStateUnavailableError,
} from '../errors.js';
import { newApiKey } from './api-keys.js';
import { KeyAccount } from './key-account.js';
import { KeyStateStore } from './key-state-store.js';

const NOON = Date.UTC(2026, 2, 10, 12, 0, 0);
const HOLD_MS = 600_000;

let engine: Backend;
let seq = 0;
beforeAll(async () => {
  engine = await openBackend('sqlite::memory:');
});
afterAll(() => engine.close());

/** Each account on its own key id, in one store (as one gateway process holds them). */
async function account(extra: Record<string, unknown>, store?: KeyStateStore) {
  const id = `k${++seq}`;
  const s = store ?? new KeyStateStore(await engine.kv('keys'));
  return new KeyAccount({ id, hash: newApiKey(id).hash, tenant: 't', ...extra } as never, s, HOLD_MS);
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

describe('KeyAccount', () => {
  it('reserves worst cases so concurrent admissions never pass the budget', async () => {
    const a = await account({ budget: { usd: 1, period: 'day' } });
    const tickets = await Promise.all([1, 2, 3, 4].map(() => a.admit(10, 0.25, NOON)));
    expect(await refusal(a.admit(10, 0.25, NOON))).toBeInstanceOf(KeyBudgetError);
    // Settling below the worst case frees the difference.
    for (const t of tickets) await a.settle(t, 5, 0.1, NOON);
    expect(a.snapshot(NOON).budget).toMatchObject({ spentUsd: expect.closeTo(0.4, 12), reservedUsd: 0 });
    await a.admit(10, 0.25, NOON);
  });

  it('renews the budget with the period and says when in retry-after', async () => {
    const a = await account({ budget: { usd: 1, period: 'day' } });
    await a.settle(await a.admit(1, 1, NOON), 1, 1, NOON);
    const refused = (await refusal(a.admit(1, 0.5, NOON))) as KeyBudgetError;
    expect(refused.retryAfterSeconds).toBe(12 * 3600);
    expect(refused.message).toMatch(/budget \$1 per day/);
    await a.admit(1, 0.5, NOON + 12 * 3600 * 1000);
  });

  it('refuses a request that could never fit, telling the caller to lower max_tokens', async () => {
    expect(
      (await refusal((await account({ budget: { usd: 1, period: 'month' } })).admit(1, 2, NOON)))?.message,
    ).toMatch(/more than the whole budget.*lower max_tokens/);
    expect((await refusal((await account({ tpm: 100 })).admit(101, 0, NOON)))?.message).toMatch(
      /more than the key's 100 per minute/,
    );
  });

  it('leaves the other limits untouched when one refuses', async () => {
    const a = await account({ rpm: 10, tpm: 1000, budget: { usd: 1, period: 'total' } });
    await a.admit(100, 1, NOON);
    expect(await refusal(a.admit(100, 0.5, NOON))).toBeInstanceOf(KeyBudgetError);
    expect(a.snapshot(NOON)).toMatchObject({ requestsLastMinute: 1, tokensLastMinute: 100 });
    const b = await account({ rpm: 1 });
    await b.admit(1, 0, NOON);
    expect(await refusal(b.admit(1, 0, NOON))).toBeInstanceOf(KeyRateLimitError);
  });

  it('shares one budget between stores on the same bucket, and lets a dead store’s holds lapse', async () => {
    const kv = await engine.kv('shared');
    const config = {
      id: 'shared',
      hash: newApiKey('shared').hash,
      tenant: 't',
      budget: { usd: 1, period: 'total' },
    };
    const one = new KeyAccount(config as never, new KeyStateStore(kv), HOLD_MS);
    const two = new KeyAccount(config as never, new KeyStateStore(kv), HOLD_MS);
    const now = Date.now();
    const admitted = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? one : two).admit(1, 0.1, now).then(
          () => true,
          () => false,
        ),
      ),
    );
    expect(admitted.filter(Boolean)).toHaveLength(10);
    // Nobody settles (both "died"): the holds block the budget until they lapse.
    expect(await refusal(one.admit(1, 0.1, now))).toBeInstanceOf(KeyBudgetError);
    const third = new KeyAccount(config as never, new KeyStateStore(kv), HOLD_MS);
    expect(await refusal(third.admit(1, 0.1, now + HOLD_MS + 1))).toBeUndefined();
  });

  it('refuses with a clear error when the stored state is unreadable or the store is gone', async () => {
    const kv = await engine.kv('broken');
    await kv.put('keys/k-bad', { spentUsd: 'lots' });
    const bad = new KeyAccount(
      { id: 'k-bad', hash: newApiKey('k-bad').hash, tenant: 't', rpm: 5 } as never,
      new KeyStateStore(kv),
      HOLD_MS,
    );
    const corrupt = await refusal(bad.admit(1, 0, NOON));
    expect(corrupt).toBeInstanceOf(KeyStateCorruptError);
    expect(corrupt?.message).toMatch(/k-bad.*bucket "broken"/);
    const gone = await openBackend('sqlite::memory:');
    const store = new KeyStateStore(await gone.kv('keys'));
    await gone.close();
    const a = new KeyAccount(
      { id: 'k-gone', hash: newApiKey('k-gone').hash, tenant: 't', rpm: 5 } as never,
      store,
      HOLD_MS,
    );
    const unavailable = (await refusal(a.admit(1, 0, NOON))) as KeyStateUnavailableError;
    expect(unavailable).toBeInstanceOf(KeyStateUnavailableError);
    expect(unavailable.status).toBe(503);
    expect(unavailable.retryAfterSeconds).toBeGreaterThan(0);
  });
});
