import { APICallError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { ModelStreamError } from './errors.js';
import { retryDelay, sleep } from './retry.js';

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

function apiError(status: number, headers: Record<string, string> = {}) {
  return new APICallError({
    message: `HTTP ${status}`,
    url: 'http://x',
    requestBodyValues: {},
    statusCode: status,
    responseHeaders: headers,
  });
}

describe('retryDelay', () => {
  it('honours retry-after in seconds, as a date, and retry-after-ms', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    expect(retryDelay(apiError(429, { 'retry-after': '3' }), 1, policy, now)).toBe(3000);
    expect(
      retryDelay(apiError(429, { 'retry-after': 'Thu, 26 Nov 2026 10:00:05 GMT' }), 1, policy, now),
    ).toBe(5000);
    expect(retryDelay(apiError(503, { 'retry-after-ms': '250' }), 1, policy, now)).toBe(250);
  });

  it('backs off exponentially with jitter up to the cap', () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const d = retryDelay(apiError(500), attempt, policy)!;
      const full = Math.min(1000, 100 * 2 ** (attempt - 1));
      expect(d).toBeGreaterThanOrEqual(full / 2);
      expect(d).toBeLessThanOrEqual(full);
    }
  });

  it('does not retry client errors, the last attempt, or absurd retry-after values', () => {
    expect(retryDelay(apiError(400), 1, policy)).toBeUndefined();
    expect(retryDelay(apiError(500), 4, policy)).toBeUndefined();
    expect(retryDelay(apiError(429, { 'retry-after': '3600' }), 1, policy)).toBeUndefined();
  });

  it('retries dropped streams and connection failures', () => {
    expect(retryDelay(new ModelStreamError('m', 'cut'), 1, policy)).toBeDefined();
    expect(retryDelay(new TypeError('fetch failed'), 1, policy)).toBeDefined();
    expect(retryDelay(new Error('bug'), 1, policy)).toBeUndefined();
  });

  it('sleep rejects as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
