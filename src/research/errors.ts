import { SwarmError } from '../core/errors.js';

/** The text is not well-formed XML; `line` and `column` point at the first fault. */
export class XmlSyntaxError extends SwarmError {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super('xml_syntax', `${source}:${line}:${column}: not well-formed XML: ${detail}`, {
      hint: 'The feed was cut short or is not XML (an HTML error page?). Fetch it again, or check the saved file.',
    });
  }
}

/** Well-formed XML, but not an arXiv Atom feed as expected: names what was missing. Nothing was written. */
export class FeedLayoutError extends SwarmError {
  constructor(
    readonly source: string,
    readonly missing: string,
  ) {
    super('feed_layout', `${source}: the feed's layout is not the arXiv Atom layout: ${missing}`, {
      hint: 'arXiv may have changed its feed format, or the URL does not serve the arXiv API. No notes were written.',
    });
  }
}

/** arXiv answered with its error feed (one entry titled "Error"), e.g. for a malformed id. */
export class ArxivApiError extends SwarmError {
  constructor(
    readonly source: string,
    readonly apiMessage: string,
    readonly status?: number,
  ) {
    super(
      'arxiv_api',
      `arXiv refused the query ${source}${status ? ` (HTTP ${status})` : ''}: ${apiMessage}`,
      {
        hint: 'Check the ids or the query syntax (https://info.arxiv.org/help/api/user-manual.html).',
      },
    );
  }
}

/** An HTTP failure that retries did not cure, or a transport error. */
export class ArxivFetchError extends SwarmError {
  constructor(
    readonly url: string,
    detail: string,
    readonly status?: number,
  ) {
    super('arxiv_fetch', `fetching ${url} failed: ${detail}`, {
      hint: 'Try again later (arXiv asks for one request every 3 seconds), or use a saved feed with --file.',
    });
  }
}

/** A source the pipeline cannot turn into an arXiv API query or a feed. */
export class ResearchSourceError extends SwarmError {
  constructor(source: string, detail: string) {
    super('research_source', `cannot use ${source} as a research source: ${detail}`, {
      hint: 'Give an arXiv listing, abstract or PDF URL, an API query URL, a saved Atom file, --query, --category or --ids.',
    });
  }
}

/** `improvements.md` cannot be parsed safely; it was left untouched. */
export class ImprovementsFormatError extends SwarmError {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super('improvements_format', `${file}:${line}: ${detail}`, {
      hint: 'Fix that line by hand; swarm research does not append to a file it cannot read safely, so nothing was changed.',
    });
  }
}

/** The research index (`data/research/index.json`) is unreadable. */
export class ResearchIndexError extends SwarmError {
  constructor(file: string, detail: string) {
    super('research_index', `${file} cannot be read: ${detail}`, {
      hint: 'Fix or delete the file; deleting it makes the next run treat every paper as new (notes are rewritten, proposals are still not duplicated).',
    });
  }
}

/** The model-written summary did not have the expected fields. */
export class SummaryError extends SwarmError {
  constructor(paper: string, detail: string) {
    super('research_summary', `the summary of ${paper} could not be made: ${detail}`, {
      hint: 'Check the summariser agent and its model (`swarm doctor`), or run without --model for extractive summaries.',
    });
  }
}

/** Another research run is writing this project's notes and improvements.md now. */
export class ResearchBusyError extends SwarmError {
  constructor(projectDir: string, pid: number) {
    super('research_busy', `another research run (pid ${pid}) is writing the notes of ${projectDir}`, {
      hint: 'Wait for it to finish (a watch keeps running until Ctrl-C), or stop it; a killed run leaves no lock behind.',
    });
  }
}
