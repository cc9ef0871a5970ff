/** An arXiv identifier without its version, and the version when one was given. */
export interface ArxivId {
  /** `2202.12139` or, for papers before April 2007, `cond-mat/0603029`. */
  id: string;
  version: number | undefined;
}

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

/** Parses `2202.12139v2`, `arXiv:2202.12139`, `cond-mat/0603029v1`; undefined when it is not an id. */
export function parseArxivId(text: string): ArxivId | undefined {
  const bare = text.trim().replace(/^arxiv:/i, '');
  const m = NEW_STYLE.exec(bare) ?? OLD_STYLE.exec(bare);
  if (!m) return undefined;
  return { id: m[1]!, version: m[2] === undefined ? undefined : Number(m[2]) };
}

/** The id inside an abstract or PDF URL (`/abs/<id>`, `/pdf/<id>`, `/pdf/<id>.pdf`), as the API's entry ids are. */
export function idFromArxivUrl(url: string): ArxivId | undefined {
  const m = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/.exec(
    url,
  );
  return m ? parseArxivId(decodeURIComponent(m[1]!)) : undefined;
}

/** A name safe for a file: old-style ids carry a slash. */
export function noteFileName(id: string): string {
  return `${id.replace('/', '_')}.md`;
}
