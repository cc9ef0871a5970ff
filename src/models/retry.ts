import { APICallError } from '@ai-sdk/provider';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Longest wait a server's retry-after is honoured for; past it, fall back instead of stalling the run. */
const MAX_RETRY_AFTER_MS = 120_000;

/**
 * How long to wait before the next attempt, or undefined when the error is
 * not worth retrying. A server's `retry-after-ms` or `retry-after` (seconds
 * or an HTTP date) wins over the exponential backoff.
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  now = Date.now(),
): number | undefined {
  if (attempt >= policy.attempts) return undefined;
  if (!isRetryable(error)) return undefined;
  const fromServer = serverDelay(error, now);
  if (fromServer !== undefined) return fromServer <= MAX_RETRY_AFTER_MS ? fromServer : undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(backoff * (0.5 + Math.random() * 0.5));
}

export function isRetryable(error: unknown): boolean {
  if (APICallError.isInstance(error)) return error.isRetryable;
  if (error instanceof Error && (error as { retryable?: boolean }).retryable !== undefined) {
    return (error as { retryable?: boolean }).retryable === true;
  }
  // fetch failures (connection refused or reset) surface as TypeError from undici
  return error instanceof TypeError;
}

function serverDelay(error: unknown, now: number): number | undefined {
  if (!APICallError.isInstance(error)) return undefined;
  const headers = error.responseHeaders ?? {};
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
