import { describe, expect, it } from 'vitest';
import { parseArxivId } from './arxiv-id.js';
import { ResearchSourceError } from './errors.js';
import { categorySource, idsSource, pageUrl, sourceFromUrl } from './source.js';

const API = 'https://export.arxiv.org/api/query';

describe('research sources', () => {
  it('parses new- and old-style ids with and without versions', () => {
    expect(parseArxivId('2202.12139v2')).toEqual({ id: '2202.12139', version: 2 });
    expect(parseArxivId('arXiv:1605.08386')).toEqual({ id: '1605.08386', version: undefined });
    expect(parseArxivId('cond-mat/0603029v1')).toEqual({ id: 'cond-mat/0603029', version: 1 });
    expect(parseArxivId('math.GT/0309136v1')).toEqual({ id: 'math.GT/0309136', version: 1 });
    expect(parseArxivId('math/030913')).toBeUndefined();
    expect(parseArxivId('abc')).toBeUndefined();
  });

  it('turns the pages a person copies into the equivalent API queries', () => {
    const listing = sourceFromUrl('https://arxiv.org/list/cs.AI/recent');
    expect(listing).toEqual({ kind: 'category', category: 'cs.AI' });
    const url = new URL(pageUrl(listing, API, 0, 50));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      search_query: 'cat:cs.AI',
      sortBy: 'submittedDate',
      sortOrder: 'descending',
      start: '0',
      max_results: '50',
    });
    expect(sourceFromUrl('https://arxiv.org/abs/2202.12139v1')).toEqual({
      kind: 'ids',
      ids: ['2202.12139v1'],
    });
    expect(sourceFromUrl('https://arxiv.org/pdf/2202.12139.pdf')).toEqual({
      kind: 'ids',
      ids: ['2202.12139'],
    });
    expect(sourceFromUrl('http://arxiv.org/abs/cond-mat/0603029')).toEqual({
      kind: 'ids',
      ids: ['cond-mat/0603029'],
    });
    const api = sourceFromUrl('http://export.arxiv.org/api/query?search_query=all:llm&max_results=5');
    expect(api.kind).toBe('api');
    expect(new URL(pageUrl(api, API, 200, 100)).searchParams.get('start')).toBe('200');
    expect(sourceFromUrl('https://example.org/feed.atom')).toEqual({
      kind: 'feed',
      url: 'https://example.org/feed.atom',
    });
    expect(
      new URL(pageUrl(idsSource(['1605.08386', 'cond-mat/0603029v1']), API, 0, 10)).searchParams.get(
        'id_list',
      ),
    ).toBe('1605.08386,cond-mat/0603029v1');
  });

  it('refuses what it cannot query', () => {
    expect(() => sourceFromUrl('ftp://arxiv.org/x')).toThrow(ResearchSourceError);
    expect(() => sourceFromUrl('https://arxiv.org/help/api')).toThrow(/no API equivalent/);
    expect(() => categorySource('cs AI')).toThrow(/not an arXiv category/);
    expect(() => idsSource(['2202.12139', 'abc'])).toThrow(/id "abc"/);
    expect(() => pageUrl({ kind: 'file', path: 'x.xml' }, API, 0, 1)).toThrow(/cannot be paged/);
  });
});
