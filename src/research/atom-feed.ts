import { z } from 'zod';
import { parseArxivId } from './arxiv-id.js';
import { ArxivApiError, FeedLayoutError } from './errors.js';
import { attribute, childElements, parseXml, textOf, type XmlElement } from './xml.js';

export const ATOM_NS = 'http://www.w3.org/2005/Atom';
export const OPENSEARCH_NS = 'http://a9.com/-/spec/opensearch/1.1/';
export const ARXIV_NS = 'http://arxiv.org/schemas/atom';

export const paperSchema = z.strictObject({
  id: z.string().min(1),
  version: z.number().int().positive(),
  title: z.string().min(1),
  authors: z.array(z.strictObject({ name: z.string().min(1), affiliations: z.array(z.string()) })),
  abstract: z.string(),
  categories: z.array(z.string()),
  primaryCategory: z.string().optional(),
  doi: z.string().optional(),
  journalRef: z.string().optional(),
  comment: z.string().optional(),
  published: z.iso.datetime({ offset: true }),
  updated: z.iso.datetime({ offset: true }),
  links: z.strictObject({ abs: z.url(), pdf: z.url().optional(), doi: z.url().optional() }),
});
export type Paper = z.infer<typeof paperSchema>;

export interface ArxivFeed {
  /** How many entries the whole query matches (opensearch:totalResults). */
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  papers: Paper[];
}

/**
 * Reads an arXiv API response: the 2016 layout (opensearch namespaces
 * declared on each element, http links) and the current one (namespaces on
 * the root, https links) alike. arXiv's error feed becomes `ArxivApiError`
 * with arXiv's own message; anything that is not the expected layout is a
 * `FeedLayoutError` naming the first missing part. The whole feed is checked
 * before anything is returned, so callers never act on half a feed.
 */
export function parseArxivFeed(xml: string, source: string, status?: number): ArxivFeed {
  const root = parseXml(xml, source);
  if (root.local !== 'feed' || root.ns !== ATOM_NS) {
    throw new FeedLayoutError(source, `the root element is <${root.local}>, not an Atom <feed>`);
  }
  const entries = childElements(root, ATOM_NS, 'entry');
  const apiError = entries.length === 1 ? errorMessage(entries[0]!) : undefined;
  if (apiError !== undefined) throw new ArxivApiError(source, apiError, status);

  const count = (name: string): number => {
    const el = childElements(root, OPENSEARCH_NS, name)[0];
    if (!el) throw new FeedLayoutError(source, `no <opensearch:${name}> in the feed`);
    const n = Number(textOf(el).trim());
    if (!Number.isInteger(n) || n < 0) {
      throw new FeedLayoutError(source, `<opensearch:${name}> is "${textOf(el).trim()}", not a count`);
    }
    return n;
  };
  const feed = { totalResults: count('totalResults'), startIndex: count('startIndex') };
  const itemsPerPage = count('itemsPerPage');
  const papers = entries.map((entry, i) => readEntry(entry, source, `entry ${i + 1} of ${entries.length}`));
  return { ...feed, itemsPerPage, papers };
}

function errorMessage(entry: XmlElement): string | undefined {
  const id = one(entry, ATOM_NS, 'id');
  if (!id || !/^https?:\/\/arxiv\.org\/api\/errors/.test(id)) return undefined;
  return one(entry, ATOM_NS, 'summary') ?? id;
}

function readEntry(entry: XmlElement, source: string, where: string): Paper {
  const layout = (detail: string) => new FeedLayoutError(source, `${where}: ${detail}`);
  const required = (ns: string, local: string, label: string): string => {
    const value = one(entry, ns, local);
    if (value === undefined || value === '') throw layout(`missing <${label}>`);
    return value;
  };
  const idUrl = required(ATOM_NS, 'id', 'id');
  const parsed = parseArxivId(idUrl.replace(/^https?:\/\/arxiv\.org\/abs\//, ''));
  if (!parsed || !/^https?:\/\/arxiv\.org\/abs\//.test(idUrl)) {
    throw layout(`<id> is "${idUrl}", not an arXiv abstract URL with an id`);
  }
  const links = childElements(entry, ATOM_NS, 'link');
  const linkWhere = (test: (l: XmlElement) => boolean) => {
    const link = links.find(test);
    return link ? attribute(link, 'href') : undefined;
  };
  const abs = linkWhere((l) => attribute(l, 'rel') === 'alternate') ?? idUrl;
  const pdf = linkWhere((l) => attribute(l, 'title') === 'pdf' || attribute(l, 'type') === 'application/pdf');
  const doiLink = linkWhere((l) => attribute(l, 'title') === 'doi');
  const authors = childElements(entry, ATOM_NS, 'author').map((a, i) => {
    const name = one(a, ATOM_NS, 'name');
    if (!name) throw layout(`author ${i + 1} has no <name>`);
    return { name, affiliations: childElements(a, ARXIV_NS, 'affiliation').map((x) => clean(textOf(x))) };
  });
  const categories = childElements(entry, ATOM_NS, 'category')
    .map((c) => attribute(c, 'term'))
    .filter((t): t is string => Boolean(t));
  const primary = childElements(entry, ARXIV_NS, 'primary_category')[0];
  const optional = (local: string) => one(entry, ARXIV_NS, local) || undefined;
  const published = required(ATOM_NS, 'published', 'published');
  const paper = {
    id: parsed.id,
    version: parsed.version ?? 1,
    title: required(ATOM_NS, 'title', 'title'),
    authors,
    abstract: required(ATOM_NS, 'summary', 'summary'),
    categories,
    primaryCategory: (primary && attribute(primary, 'term')) || categories[0],
    doi: optional('doi'),
    journalRef: optional('journal_ref'),
    comment: optional('comment'),
    published,
    updated: one(entry, ATOM_NS, 'updated') || published,
    links: { abs, pdf, doi: doiLink },
  };
  const checked = paperSchema.safeParse(dropUndefined(paper));
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw layout(`${issue.path.join('.')}: ${issue.message}`);
  }
  return checked.data;
}

/** Text of the first such child, whitespace collapsed (titles and abstracts wrap at 80 columns in the feeds). */
function one(el: XmlElement, ns: string, local: string): string | undefined {
  const child = childElements(el, ns, local)[0];
  return child ? clean(textOf(child)) : undefined;
}

const RUN_OF_SPACE = /\s{2,}|[\t\n\r]/;

function clean(text: string): string {
  // most fields of the 2026 layout are already one line: skip the replace there (it is the parser's hot spot)
  return (RUN_OF_SPACE.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
}

function dropUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? dropUndefined(v) : v;
  }
  return out as T;
}
