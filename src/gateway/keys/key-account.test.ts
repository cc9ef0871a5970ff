import { describe, expect, it } from 'vitest';
import { KeyBudgetError, KeyRateLimitError } from '../errors.js';
import { newApiKey } from './api-keys.js';
import { KeyAccount } from './key-account.js';

const NOON = Date.UTC(2026, 2, 10, 12, 0, 0);

function account(extra: Record<string, unknown>): KeyAccount {
  return new KeyAccount({ id: 'k', hash: newApiKey('k').hash, tenant: 't', ...extra } as never);
}

describe('KeyAccount', () => {
  it('reserves worst cases so concurrent admissions never pass the budget', () => {
    const a = account({ budget: { usd: 1, period: 'day' } });
    const tickets = [1, 2, 3, 4].map(() => a.admit(10, 0.25, NOON));
    expect(() => a.admit(10, 0.25, NOON)).toThrow(KeyBudgetError);
    // Settling below the worst case frees the difference.
    for (const t of tickets) a.settle(t, 5, 0.1, NOON);
    expect(a.snapshot(NOON).budget).toMatchObject({ spentUsd: 0.4, reservedUsd: 0 });
    expect(() => a.admit(10, 0.25, NOON)).not.toThrow();
  });

  it('renews the budget with the period and says when in retry-after', () => {
    const a = account({ budget: { usd: 1, period: 'day' } });
    a.settle(a.admit(1, 1, NOON), 1, 1, NOON);
    const refusal = (() => {
      try {
        a.admit(1, 0.5, NOON);
      } catch (error) {
        return error as KeyBudgetError;
      }
    })();
    expect(refusal?.retryAfterSeconds).toBe(12 * 3600);
    expect(refusal?.message).toMatch(/budget \$1 per day/);
    expect(() => a.admit(1, 0.5, NOON + 12 * 3600 * 1000)).not.toThrow();
  });

  it('refuses a request that could never fit, telling the caller to lower max_tokens', () => {
    expect(() => account({ budget: { usd: 1, period: 'month' } }).admit(1, 2, NOON)).toThrow(
      /more than the whole budget.*lower max_tokens/,
    );
    expect(() => account({ tpm: 100 }).admit(101, 0, NOON)).toThrow(/more than the key's 100 per minute/);
  });

  it('gives back what a refused request took from the other limits', () => {
    const a = account({ rpm: 10, tpm: 1000, budget: { usd: 1, period: 'total' } });
    a.admit(100, 1, NOON);
    expect(() => a.admit(100, 0.5, NOON)).toThrow(KeyBudgetError);
    expect(a.snapshot(NOON)).toMatchObject({ requestsLastMinute: 1, tokensLastMinute: 100 });
    const b = account({ rpm: 1 });
    b.admit(1, 0, NOON);
    expect(() => b.admit(1, 0, NOON)).toThrow(KeyRateLimitError);
  });
});
