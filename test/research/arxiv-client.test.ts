import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ArxivApiError,
  ArxivClient,
  ArxivFetchError,
  categorySource,
  type FetchProgress,
  idsSource,
  type Paper,
  sourceFromUrl,
} from '../../src/research/index.js';
import { type ArxivServer, startArxivServer } from './arxiv-server.js';

let server: ArxivServer;
beforeEach(async () => {
  server = await startArxivServer();
});
afterEach(async () => server.close());

async function collect(client: ArxivClient, ...args: Parameters<ArxivClient['feeds']>): Promise<Paper[]> {
  const papers: Paper[] = [];
  for await (const feed of client.feeds(...args)) papers.push(...feed.papers);
  return papers;
}

describe('ArxivClient against a loopback server serving the saved feeds', () => {
  it('pages through a category listing until totalResults, one request per interval', async () => {
    const progress: FetchProgress[] = [];
    const sent: number[] = [];
    const client = new ArxivClient({ apiBase: server.apiBase, intervalMs: 150, pageSize: 8 }, (p) => {
      progress.push(p);
      if (p.type === 'request') sent.push(Date.now());
    });
    const papers = await collect(client, categorySource('cs.AI'), 1000);
    expect(papers).toHaveLength(20);
    expect(new Set(papers.map((p) => p.id)).size).toBe(20);
    const pages = server.requests.map((r) => Object.fromEntries(r.url.searchParams));
    expect(pages.map((p) => [p.start, p.max_results])).toEqual([
      ['0', '8'],
      ['8', '8'],
      ['16', '8'],
    ]);
    expect(pages[0]).toMatchObject({
      search_query: 'cat:cs.AI',
      sortBy: 'submittedDate',
      sortOrder: 'descending',
    });
    // measured where requests leave: arrival times at the server also carry connection set-up
    const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
    expect(gaps).toHaveLength(2);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(149);
    expect(progress.filter((p) => p.type === 'page').map((p) => p.type === 'page' && p.got)).toEqual([
      8, 8, 4,
    ]);
  });

  it('stops at the caller limit, asking only for what is left', async () => {
    const client = new ArxivClient({ apiBase: server.apiBase, intervalMs: 0, pageSize: 8 });
    expect(await collect(client, categorySource('cs.AI'), 11)).toHaveLength(11);
    expect(server.requests.map((r) => r.url.searchParams.get('max_results'))).toEqual(['8', '3']);
  });

  it("retries a 503 after the server's retry-after, then succeeds", async () => {
    server.faults.push({ status: 503, retryAfter: '1' });
    const progress: FetchProgress[] = [];
    const sent: number[] = [];
    const client = new ArxivClient({ apiBase: server.apiBase, intervalMs: 10 }, (p) => {
      progress.push(p);
      if (p.type === 'request') sent.push(Date.now());
    });
    const papers = await collect(client, idsSource(['1605.08386']), 10);
    expect(papers.map((p) => p.title)).toEqual(['Heat-bath random walks with Markov bases']);
    expect(server.requests).toHaveLength(2);
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(999);
    expect(progress.find((p) => p.type === 'retry')).toMatchObject({ status: 503, delayMs: 1000 });
  });

  it('stops waiting out a long retry-after as soon as the caller aborts', async () => {
    server.faults.push({ status: 503, retryAfter: '60' });
    const controller = new AbortController();
    const client = new ArxivClient({ apiBase: server.apiBase, intervalMs: 0 }, (p) => {
      if (p.type === 'retry') controller.abort(new Error('interrupted'));
    });
    const started = Date.now();
    const error = await collect(client, idsSource(['1605.08386']), 10, controller.signal).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ message: 'interrupted' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up with ArxivFetchError after the attempts, and does not retry a 404', async () => {
    server.faults.push({ status: 503 }, { status: 503 }, { status: 503 });
    const client = new ArxivClient({ apiBase: server.apiBase, intervalMs: 5, attempts: 3 });
    const error = await collect(client, idsSource(['1605.08386']), 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArxivFetchError);
    expect((error as ArxivFetchError).status).toBe(503);
    expect((error as Error).message).toContain('after 3 attempts');
    expect(server.requests).toHaveLength(3);

    server.faults.push({ status: 404, body: 'no such page' });
    const notFound = await collect(client, idsSource(['1605.08386']), 10).catch((e: unknown) => e);
    expect(notFound).toMatchObject({ status: 404 });
    expect(server.requests).toHaveLength(4);
  });

  it("surfaces arXiv's 400 error feed for a malformed id as ArxivApiError", async () => {
    const client = new ArxivClient({ apiBase: server.apiBase, intervalMs: 0 });
    const error = await collect(client, { kind: 'api', url: `${server.apiBase}?id_list=abc` }, 10).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArxivApiError);
    expect(error).toMatchObject({ apiMessage: 'incorrect id format for abc', status: 400 });
  });

  it('reads an unknown id as the empty result', async () => {
    const client = new ArxivClient({ apiBase: server.apiBase, intervalMs: 0 });
    expect(await collect(client, idsSource(['2401.00001']), 10)).toEqual([]);
  });

  it('fetches a feed URL that is not an API query once, without paging parameters', async () => {
    const url = server.apiBase.replace('/api/query', '/saved/legacy-2016-search-10-entries.xml');
    const source = sourceFromUrl(url);
    expect(source.kind).toBe('feed');
    const client = new ArxivClient({ apiBase: server.apiBase, intervalMs: 0 });
    expect(await collect(client, source, 5)).toHaveLength(10);
    expect(server.requests.map((r) => r.url.search)).toEqual(['']);
  });

  it('defaults to arXiv itself and its 3-second interval', () => {
    expect(new ArxivClient().options).toMatchObject({
      apiBase: 'https://export.arxiv.org/api/query',
      intervalMs: 3000,
    });
  });
});
