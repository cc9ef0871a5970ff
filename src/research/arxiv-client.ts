import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { APICallError } from '@ai-sdk/provider';
import { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import { retryDelay } from '../models/index.js';
import { type ArxivFeed, parseArxivFeed } from './atom-feed.js';
import { ArxivFetchError, ResearchSourceError } from './errors.js';
import { DEFAULT_API_BASE, describeSource, pageUrl, type ResearchSource } from './source.js';

export const fetchOptionsSchema = z.strictObject({
  apiBase: z.url().default(DEFAULT_API_BASE),
  /** arXiv asks for no more than one request every 3 seconds. */
  intervalMs: z.number().int().nonnegative().default(3000),
  attempts: z.number().int().min(1).max(10).default(4),
  /** Longest backoff without a retry-after from the server. */
  maxDelayMs: z.number().int().positive().default(60_000),
  timeoutMs: z.number().int().positive().default(30_000),
  /** Entries per request; the API allows up to 2,000, and answers faster for smaller pages. */
  pageSize: z.number().int().min(1).max(2000).default(100),
});
export type FetchOptionsInput = z.input<typeof fetchOptionsSchema>;
export type FetchOptions = z.output<typeof fetchOptionsSchema>;

export type FetchProgress =
  | { type: 'request'; url: string; attempt: number }
  | { type: 'retry'; url: string; status: number | undefined; delayMs: number; reason: string }
  | { type: 'page'; source: string; start: number; got: number; total: number };

/**
 * The arXiv API client: one request at a time, at least `intervalMs` apart
 * (their rate limit), retrying 429, 503 and other 5xx answers after the
 * server's retry-after or an exponential backoff, and paging through a
 * query until totalResults or the caller's limit.
 */
export class ArxivClient {
  readonly options: FetchOptions;
  private nextSlot = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    options: FetchOptionsInput = {},
    private readonly onProgress: (p: FetchProgress) => void = () => {},
  ) {
    this.options = fetchOptionsSchema.parse(options);
  }

  /** Papers of a source, page by page, at most `limit` of them. */
  async *feeds(source: ResearchSource, limit: number, signal?: AbortSignal): AsyncGenerator<ArxivFeed> {
    if (source.kind === 'file') {
      const text = await readFile(source.path, 'utf8').catch((error: unknown) => {
        throw new ResearchSourceError(source.path, errorMessage(error));
      });
      yield parseArxivFeed(text, source.path);
      return;
    }
    if (source.kind === 'feed') {
      const { body, status } = await this.get(source.url, signal);
      yield parseArxivFeed(body, source.url, status);
      return;
    }
    let start = 0;
    for (;;) {
      const size = Math.min(this.options.pageSize, limit - start);
      const url = pageUrl(source, this.options.apiBase, start, size);
      const { body, status } = await this.get(url, signal);
      const feed = parseArxivFeed(body, url, status);
      this.onProgress({
        type: 'page',
        source: describeSource(source),
        start,
        got: feed.papers.length,
        total: feed.totalResults,
      });
      yield feed;
      start += feed.papers.length;
      // an empty page before the end is arXiv's way of saying "busy": stop rather than loop
      if (feed.papers.length === 0 || start >= feed.totalResults || start >= limit) return;
    }
  }

  /**
   * One GET, rate-limited and retried. A 400 comes back as a body, since
   * arXiv explains it in an Atom error feed that the parser turns into an
   * `ArxivApiError`; other failures that outlast the retries throw.
   */
  async get(url: string, signal?: AbortSignal): Promise<{ body: string; status: number }> {
    for (let attempt = 1; ; attempt++) {
      await this.slot(signal);
      this.onProgress({ type: 'request', url, attempt });
      let failure: unknown;
      try {
        const timeout = AbortSignal.timeout(this.options.timeoutMs);
        const response = await fetch(url, {
          headers: { accept: 'application/atom+xml', 'user-agent': 'swarm-research/0.1' },
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        const body = await response.text();
        if (response.ok || response.status === 400) return { body, status: response.status };
        failure = new APICallError({
          message: `HTTP ${response.status} ${response.statusText}`,
          url,
          requestBodyValues: {},
          statusCode: response.status,
          responseHeaders: Object.fromEntries(response.headers),
          responseBody: body.slice(0, 500),
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        failure = error;
      }
      const policy = {
        attempts: this.options.attempts,
        baseDelayMs: Math.max(this.options.intervalMs, 1),
        maxDelayMs: this.options.maxDelayMs,
      };
      const wait = retryDelay(failure, attempt, policy);
      const status = APICallError.isInstance(failure) ? failure.statusCode : undefined;
      if (wait === undefined) {
        throw new ArxivFetchError(url, `${errorMessage(failure)} (after ${attempt} attempts)`, status);
      }
      this.onProgress({ type: 'retry', url, status, delayMs: wait, reason: errorMessage(failure) });
      // the wait counts as the gap before the next request
      this.nextSlot = Math.max(this.nextSlot, Date.now() + wait);
    }
  }

  /** Waits for this request's turn: requests are serialised, `intervalMs` apart from start to start. */
  private slot(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      const wait = this.nextSlot - Date.now();
      if (wait > 0) {
        await delay(wait, undefined, signal ? { signal } : undefined).catch((error: unknown) => {
          throw signal?.aborted ? signal.reason : error;
        });
      }
      this.nextSlot = Date.now() + this.options.intervalMs;
    });
    this.queue = turn.catch(() => {});
    return turn;
  }
}
