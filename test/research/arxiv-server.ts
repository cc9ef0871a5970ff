import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixturePath } from '../support/fixtures.js';

export const feed = (name: string) => readFileSync(fixturePath('arxiv', name), 'utf8');

/** The raw `<entry>` elements of a saved feed, exactly as arXiv wrote them. */
export function entriesOf(xml: string): string[] {
  return xml.match(/<entry>[\s\S]*?<\/entry>/g) ?? [];
}

export interface ArxivRequest {
  at: number;
  url: URL;
}

export interface Fault {
  status: number;
  retryAfter?: string;
  body?: string;
}

export interface ArxivServer {
  apiBase: string;
  requests: ArxivRequest[];
  /** Answers the next requests with these, in order, before serving feeds again. */
  faults: Fault[];
  close(): Promise<void>;
}

/**
 * A real HTTP peer on loopback that serves arXiv's saved responses the way
 * the API does: `id_list` lookups answer with the saved single-entry feeds,
 * the saved error feed (HTTP 400) for a malformed id, or the saved empty
 * result; a `search_query` pages (start, max_results) through the entries
 * of the saved search feeds, in a page built from the 2026 feed's own header.
 */
export async function startArxivServer(): Promise<ArxivServer> {
  const search = feed('2026-search-10-entries.xml');
  const corpus = [...entriesOf(search), ...entriesOf(feed('legacy-2016-search-10-entries.xml'))];
  const header = search.slice(0, search.indexOf('<entry>'));
  const byId = new Map<string, string>([
    ['1605.08386', feed('2026-id-list-1-entry.xml')],
    ['1111.2011v2', feed('legacy-2016-id-list.xml')],
    ['cond-mat/0603029', feed('legacy-2016-search-1-entry.xml')],
  ]);
  for (const entry of corpus) {
    const id = /<id>https?:\/\/arxiv\.org\/abs\/(.+?)(v\d+)?<\/id>/.exec(entry)?.[1];
    if (id && !byId.has(id)) byId.set(id, page([entry], 1, 0, 1));
  }
  function page(entries: string[], total: number, start: number, size: number): string {
    const head = header
      .replace(/<opensearch:totalResults>\d+/, `<opensearch:totalResults>${total}`)
      .replace(/<opensearch:startIndex>\d+/, `<opensearch:startIndex>${start}`)
      .replace(/<opensearch:itemsPerPage>\d+/, `<opensearch:itemsPerPage>${size}`);
    return `${head}${entries.join('\n  ')}\n</feed>\n`;
  }

  const requests: ArxivRequest[] = [];
  const faults: Fault[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ at: Date.now(), url });
    const fault = faults.shift();
    if (fault) {
      res.writeHead(fault.status, {
        'content-type': 'text/plain',
        ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
      });
      res.end(fault.body ?? 'Service Unavailable');
      return;
    }
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/atom+xml; charset=utf-8' });
      res.end(body);
    };
    if (url.pathname.startsWith('/saved/')) return send(200, feed(url.pathname.slice('/saved/'.length)));
    if (url.pathname !== '/api/query') return send(404, 'not found');
    const ids = url.searchParams.get('id_list');
    if (ids) {
      const found = ids.split(',').map((id) => {
        if (!/^(\d{4}\.\d{4,5}|[a-z-]+\/\d{7})(v\d+)?$/.test(id)) return undefined;
        return byId.get(id) ?? byId.get(id.replace(/v\d+$/, '')) ?? feed('2026-empty-result.xml');
      });
      if (found.includes(undefined)) return send(400, feed('2026-error-400-bad-id.xml'));
      const entries = found.flatMap((f) => entriesOf(f!));
      return send(
        200,
        entries.length === 0
          ? feed('2026-empty-result.xml')
          : page(entries, entries.length, 0, entries.length),
      );
    }
    const start = Number(url.searchParams.get('start') ?? 0);
    const size = Number(url.searchParams.get('max_results') ?? 10);
    send(200, page(corpus.slice(start, start + size), corpus.length, start, size));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiBase: `http://127.0.0.1:${port}/api/query`,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
