import { idFromArxivUrl, parseArxivId } from './arxiv-id.js';
import { ResearchSourceError } from './errors.js';

export const DEFAULT_API_BASE = 'https://export.arxiv.org/api/query';

/** Where papers come from. Every kind but `file` and `feed` is an arXiv API query that can be paged. */
export type ResearchSource =
  | { kind: 'query'; query: string }
  | { kind: 'category'; category: string }
  | { kind: 'ids'; ids: string[] }
  | { kind: 'api'; url: string }
  | { kind: 'feed'; url: string }
  | { kind: 'file'; path: string };

const CATEGORY = /^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$/;
const LISTING = /^https?:\/\/(?:www\.)?arxiv\.org\/list\/([^/?#]+)(?:\/([^/?#]+))?\/?(?:[?#].*)?$/;
const API_PATH = /^\/api\/query\/?$/;

export function categorySource(category: string): ResearchSource {
  if (!CATEGORY.test(category)) {
    throw new ResearchSourceError(`category "${category}"`, 'not an arXiv category such as cs.AI or hep-th');
  }
  return { kind: 'category', category };
}

export function idsSource(ids: readonly string[]): ResearchSource {
  const parsed = ids.map((raw) => {
    const id = parseArxivId(raw);
    if (!id)
      throw new ResearchSourceError(
        `id "${raw}"`,
        'not an arXiv id such as 2202.12139 or cond-mat/0603029v1',
      );
    return id.version === undefined ? id.id : `${id.id}v${id.version}`;
  });
  if (parsed.length === 0) throw new ResearchSourceError('--ids', 'no ids given');
  return { kind: 'ids', ids: parsed };
}

/**
 * Turns a URL a person copied into the API query that gives the same papers:
 * a listing page (`/list/cs.AI/recent`) becomes the category query sorted
 * by submission date, an abstract or PDF page becomes an id lookup, an API
 * URL stays as it is. Any other http(s) URL is fetched as a feed.
 */
export function sourceFromUrl(url: string): ResearchSource {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ResearchSourceError(url, 'not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ResearchSourceError(url, `only http and https URLs can be fetched, not ${parsed.protocol}`);
  }
  const listing = LISTING.exec(url);
  if (listing) return categorySource(decodeURIComponent(listing[1]!));
  const id = idFromArxivUrl(url);
  if (id) return { kind: 'ids', ids: [id.version === undefined ? id.id : `${id.id}v${id.version}`] };
  if (API_PATH.test(parsed.pathname)) return { kind: 'api', url };
  if (/(^|\.)arxiv\.org$/.test(parsed.hostname) && !parsed.pathname.startsWith('/api/')) {
    throw new ResearchSourceError(
      url,
      'this arXiv page has no API equivalent (use /list/, /abs/ or /pdf/ URLs)',
    );
  }
  return { kind: 'feed', url };
}

/** The API URL for one page of a query source. */
export function pageUrl(source: ResearchSource, apiBase: string, start: number, maxResults: number): string {
  let url: URL;
  if (source.kind === 'api') url = new URL(source.url);
  else {
    url = new URL(apiBase);
    const params = url.searchParams;
    if (source.kind === 'query') {
      params.set('search_query', source.query);
      params.set('sortBy', 'relevance');
      params.set('sortOrder', 'descending');
    } else if (source.kind === 'category') {
      // what /list/<category>/recent shows: the newest submissions first
      params.set('search_query', `cat:${source.category}`);
      params.set('sortBy', 'submittedDate');
      params.set('sortOrder', 'descending');
    } else if (source.kind === 'ids') {
      params.set('id_list', source.ids.join(','));
    } else {
      throw new ResearchSourceError(describeSource(source), 'it is not an API query and cannot be paged');
    }
  }
  url.searchParams.set('start', String(start));
  url.searchParams.set('max_results', String(maxResults));
  return url.toString();
}

export function describeSource(source: ResearchSource): string {
  switch (source.kind) {
    case 'query':
      return `query "${source.query}"`;
    case 'category':
      return `category ${source.category}`;
    case 'ids':
      return `ids ${source.ids.join(', ')}`;
    case 'file':
      return `file ${source.path}`;
    default:
      return source.url;
  }
}
