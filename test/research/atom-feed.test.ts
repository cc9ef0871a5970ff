import { describe, expect, it } from 'vitest';
import { ArxivApiError, FeedLayoutError, parseArxivFeed, XmlSyntaxError } from '../../src/research/index.js';
import { feed } from './arxiv-server.js';

describe('arXiv Atom feeds as saved from the API', () => {
  it('reads the 2016 layout: inline opensearch namespaces, DOI, journal ref, comment, primary category', () => {
    const parsed = parseArxivFeed(feed('legacy-2016-search-1-entry.xml'), 'legacy');
    expect(parsed).toMatchObject({ totalResults: 1, startIndex: 0, itemsPerPage: 10 });
    expect(parsed.papers).toHaveLength(1);
    expect(parsed.papers[0]).toEqual({
      id: 'cond-mat/0603029',
      version: 1,
      title: 'From stripe to checkerboard order on the square lattice in the presence of quenched disorder',
      authors: [
        { name: 'Adrian Del Maestro', affiliations: [] },
        { name: 'Bernd Rosenow', affiliations: [] },
        { name: 'Subir Sachdev', affiliations: [] },
      ],
      abstract: expect.stringMatching(
        /^We discuss the effects of quenched disorder .* microscopy experiments\.$/,
      ),
      categories: ['cond-mat.str-el', 'cond-mat.supr-con'],
      primaryCategory: 'cond-mat.str-el',
      doi: '10.1103/PhysRevB.74.024520',
      journalRef: 'Phys. Rev. B 74, 024520 (2006)',
      comment: '10 pages, 11 figures; added reference',
      published: '2006-03-02T02:22:45Z',
      updated: '2006-03-02T02:22:45Z',
      links: {
        abs: 'http://arxiv.org/abs/cond-mat/0603029v1',
        pdf: 'http://arxiv.org/pdf/cond-mat/0603029v1',
        doi: 'http://dx.doi.org/10.1103/PhysRevB.74.024520',
      },
    });
  });

  it('reads the 2026 layout: namespaces on the root, https links, fields in another order', () => {
    const parsed = parseArxivFeed(feed('2026-search-10-entries.xml'), '2026');
    expect(parsed.totalResults).toBe(214881);
    expect(parsed.papers.map((p) => `${p.id}v${p.version}`)).toEqual([
      '2202.12139v1',
      '2405.13786v1',
      '2005.14124v2',
      '2204.08348v3',
      '2302.03287v3',
      '1202.4527v1',
      '2503.05378v2',
      '1205.1866v1',
      '2502.07719v2',
      '1812.11470v1',
    ]);
    const first = parsed.papers[0]!;
    expect(first).toMatchObject({
      primaryCategory: 'cs.SE',
      categories: ['cs.SE', 'cs.LG'],
      doi: '10.1109/ICSTW55395.2022.00035',
      comment: 'Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022',
      links: { abs: 'https://arxiv.org/abs/2202.12139v1', pdf: 'https://arxiv.org/pdf/2202.12139v1' },
    });
    expect(first.journalRef).toMatch(/^Artificial Intelligence in Software Testing @ 2022 IEEE/);
    const one = parseArxivFeed(feed('2026-id-list-1-entry.xml'), 'id');
    expect(one.papers[0]).toMatchObject({ id: '1605.08386', version: 1, primaryCategory: 'math.CO' });
    expect(one.papers[0]!.doi).toBeUndefined();
  });

  it('decodes entities and keeps versions from the id (legacy id list, v2)', () => {
    const ten = parseArxivFeed(feed('legacy-2016-search-10-entries.xml'), 'legacy10');
    expect(ten.totalResults).toBe(31);
    expect(ten.papers.some((p) => p.abstract.includes('(p >= 3, integer)'))).toBe(true);
    const list = parseArxivFeed(feed('legacy-2016-id-list.xml'), 'legacy-ids');
    expect(list.papers[0]).toMatchObject({ id: '1111.2011', version: 2, updated: '2012-04-02T12:38:54Z' });
  });

  it('reads author affiliations where arXiv gives them', () => {
    const withAffiliation = feed('2026-id-list-1-entry.xml').replace(
      '<name>Caprice Stanley</name>',
      '<name>Caprice Stanley</name>\n      <arxiv:affiliation>NC State University</arxiv:affiliation>',
    );
    expect(parseArxivFeed(withAffiliation, 'aff').papers[0]!.authors).toEqual([
      { name: 'Caprice Stanley', affiliations: ['NC State University'] },
      { name: 'Tobias Windisch', affiliations: [] },
    ]);
  });

  it('reads the empty result as zero papers', () => {
    expect(parseArxivFeed(feed('2026-empty-result.xml'), 'empty')).toEqual({
      totalResults: 0,
      startIndex: 0,
      itemsPerPage: 100,
      papers: [],
    });
  });

  it("turns arXiv's error feed into an ArxivApiError with arXiv's message", () => {
    const error = catchError(() => parseArxivFeed(feed('2026-error-400-bad-id.xml'), 'q?id_list=abc', 400));
    expect(error).toBeInstanceOf(ArxivApiError);
    expect((error as ArxivApiError).apiMessage).toBe('incorrect id format for abc');
    expect((error as ArxivApiError).message).toContain('HTTP 400');
  });

  it('names what is missing when the layout changed', () => {
    const renamed = feed('2026-search-10-entries.xml').replace(
      /<summary>([\s\S]*?)<\/summary>/,
      '<abstract>$1</abstract>',
    );
    const error = catchError(() => parseArxivFeed(renamed, 'changed'));
    expect(error).toBeInstanceOf(FeedLayoutError);
    expect((error as Error).message).toContain('entry 1 of 10: missing <summary>');

    const noCount = feed('2026-empty-result.xml').replace(
      /<opensearch:totalResults>0<\/opensearch:totalResults>/,
      '',
    );
    expect(catchError(() => parseArxivFeed(noCount, 'x'))).toMatchObject({
      missing: 'no <opensearch:totalResults> in the feed',
    });

    const html = '<html><head><title>arXiv</title></head><body><div class="list">x</div></body></html>';
    expect((catchError(() => parseArxivFeed(html, 'page')) as Error).message).toContain(
      'the root element is <html>, not an Atom <feed>',
    );

    const otherNs = feed('2026-id-list-1-entry.xml').replace(
      'xmlns="http://www.w3.org/2005/Atom"',
      'xmlns="urn:x"',
    );
    expect(catchError(() => parseArxivFeed(otherNs, 'ns'))).toBeInstanceOf(FeedLayoutError);

    const badId = feed('2026-id-list-1-entry.xml').replace(
      '<id>http://arxiv.org/abs/1605.08386v1',
      '<id>urn:x',
    );
    expect((catchError(() => parseArxivFeed(badId, 'id')) as Error).message).toContain(
      'not an arXiv abstract URL',
    );
  });

  it('refuses a feed cut short with the line where it ends', () => {
    const text = feed('2026-search-10-entries.xml');
    const cut = text.slice(0, Math.floor(text.length / 2));
    const error = catchError(() => parseArxivFeed(cut, 'cut.xml'));
    expect(error).toBeInstanceOf(XmlSyntaxError);
    expect((error as XmlSyntaxError).line).toBe(cut.split('\n').length);
    expect((error as Error).message).toMatch(/^cut\.xml:\d+:\d+: not well-formed XML: <\w+> is never closed/);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
