import { mkdir } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { PidLock } from '../core/pid-lock.js';
import { ArxivClient, type FetchOptionsInput, type FetchProgress } from './arxiv-client.js';
import { noteFileName } from './arxiv-id.js';
import type { Paper } from './atom-feed.js';
import { writeTextAtomic } from './atomic-write.js';
import { ArxivApiError, ResearchBusyError } from './errors.js';
import { appendProposals, readImprovements } from './improvements-file.js';
import { type NoteInput, proposalText, renderNote } from './note.js';
import { ProjectRanker, type Relevance } from './project-ranker.js';
import { ResearchIndex } from './research-index.js';
import { describeSource, type ResearchSource, sourceFromUrl } from './source.js';
import { ExtractiveSummariser, type Summariser } from './summary.js';

export const NOTES_DIR = 'data/research';
export const IMPROVEMENTS_FILE = 'improvements.md';

export interface ResearchOptions {
  /** The target project: its README, roadmap and modules rank the papers; notes go under it. */
  projectDir: string;
  /** Explicit sources; none means the new arXiv links in improvements.md. */
  sources?: readonly ResearchSource[];
  /** New papers kept per run, best first (papers asked for by id, and new versions, are always kept). */
  top?: number;
  /** Most papers read from one query source. */
  limit?: number;
  fetch?: FetchOptionsInput;
  summariser?: Summariser;
  onProgress?: (progress: ResearchProgress) => void;
  signal?: AbortSignal;
}

export type ResearchProgress =
  | FetchProgress
  | { type: 'ranked'; candidates: number; kept: number }
  | { type: 'summary'; id: string; index: number; of: number }
  | { type: 'written'; notes: number; proposals: number };

export interface KeptPaper {
  id: string;
  version: number;
  title: string;
  status: 'new' | 'updated';
  score: number;
  modules: string[];
  summary: 'model' | 'extractive';
  note: string;
}

export interface ResearchReport {
  sources: string[];
  /** Entries read from the feeds, before de-duplication. */
  fetched: number;
  unique: number;
  /** Papers with a note at this version already. */
  unchanged: number;
  /** Papers an earlier run ranked below its top N, at this version: not ranked again. */
  passedBefore: number;
  kept: KeptPaper[];
  /** New papers not among the top N (remembered: not ranked again until a new version). */
  dropped: number;
  proposals: string[];
  /** Links from improvements.md: processed now, and those that are not arXiv links. */
  links: { processed: string[]; ignored: string[] };
  warnings: string[];
}

/**
 * One research run: fetch → de-duplicate (within the run and against the
 * index of earlier runs) → rank by relevance to the project → keep the top
 * N → summarise → write one note per paper and append proposals. Every feed
 * is read and checked before anything is written, so a bad feed leaves the
 * notes, the index and improvements.md as they were.
 */
export async function runResearch(options: ResearchOptions): Promise<ResearchReport> {
  const projectDir = resolve(options.projectDir);
  // two runs on one project would each append the other's proposals' duplicates or lose index entries
  await mkdir(join(projectDir, '.swarm'), { recursive: true });
  const lock = PidLock.acquire(
    join(projectDir, '.swarm', 'research.lock'),
    (pid) => new ResearchBusyError(projectDir, pid),
  );
  try {
    return await researchUnderLock(projectDir, options);
  } finally {
    lock.release();
  }
}

async function researchUnderLock(projectDir: string, options: ResearchOptions): Promise<ResearchReport> {
  const improvementsFile = join(projectDir, IMPROVEMENTS_FILE);
  const progress = options.onProgress ?? (() => {});
  const improvements = await readImprovements(improvementsFile);
  const index = await ResearchIndex.load(join(projectDir, NOTES_DIR, 'index.json'));
  const report: ResearchReport = {
    sources: [],
    fetched: 0,
    unique: 0,
    unchanged: 0,
    passedBefore: 0,
    kept: [],
    dropped: 0,
    proposals: [],
    links: { processed: [], ignored: [] },
    warnings: [],
  };

  const planned: { source: ResearchSource; link?: string }[] = (options.sources ?? []).map((source) => ({
    source,
  }));
  if (!options.sources?.length) {
    for (const { url } of improvements.links) {
      if (index.hasLink(url)) continue;
      const source = arxivLinkSource(url);
      if (source) planned.push({ source, link: url });
      else report.links.ignored.push(url);
    }
  }

  const client = new ArxivClient(options.fetch, progress);
  const byId = new Map<string, Paper>();
  // papers asked for by id (--ids, abstract and PDF links) are kept whatever their rank
  const asked = new Set<string>();
  const doneLinks: string[] = [];
  for (const { source, link } of planned) {
    report.sources.push(describeSource(source));
    try {
      for await (const feed of client.feeds(source, options.limit ?? 100, options.signal)) {
        report.fetched += feed.papers.length;
        for (const paper of feed.papers) {
          if (source.kind === 'ids') asked.add(paper.id);
          const seen = byId.get(paper.id);
          if (!seen || paper.version > seen.version) byId.set(paper.id, paper);
        }
      }
      if (link) doneLinks.push(link);
    } catch (error) {
      // a link arXiv refuses (a bad id) stays refused: record it so watch mode does not retry it forever
      if (!link || !(error instanceof ArxivApiError)) throw error;
      report.warnings.push(`${link}: ${errorMessage(error)}`);
      doneLinks.push(link);
    }
  }
  report.unique = byId.size;

  const fresh: Paper[] = [];
  const updated: Paper[] = [];
  for (const paper of byId.values()) {
    const known = index.get(paper.id);
    const passed = index.passedVersion(paper.id);
    if (known) {
      if (paper.version > known.version) updated.push(paper);
      else report.unchanged++;
    } else if (passed !== undefined && paper.version <= passed && !asked.has(paper.id)) report.passedBefore++;
    else fresh.push(paper);
  }
  const candidates = [...fresh, ...updated];
  // with nothing new (most watch-mode runs) the project is not even read
  const ranker = candidates.length > 0 ? await ProjectRanker.open(projectDir) : undefined;
  const relevance = ranker ? await ranker.rank(candidates) : new Map<string, Relevance>();
  const score = (p: Paper) => relevance.get(p.id)?.score ?? 0;
  const top = options.top ?? 10;
  const ranked = [...fresh].sort((a, b) => score(b) - score(a));
  const rest = ranked.filter((p) => !asked.has(p.id));
  const keptNew = [...ranked.filter((p) => asked.has(p.id)), ...rest.slice(0, top)];
  const passedNow = rest.slice(top);
  report.dropped = passedNow.length;
  const selected = [...keptNew, ...updated].sort((a, b) => score(b) - score(a));
  progress({ type: 'ranked', candidates: candidates.length, kept: selected.length });

  const moduleLines = new Map(
    (ranker?.profile ?? []).flatMap((d) => (d.module ? [[d.module, d.summary ?? '']] : [])),
  );
  const summariser = options.summariser ?? new ExtractiveSummariser();
  const at = new Date().toISOString();
  const notes: { paper: Paper; input: NoteInput; path: string; rel: Relevance }[] = [];
  for (const [i, paper] of selected.entries()) {
    progress({ type: 'summary', id: paper.id, index: i + 1, of: selected.length });
    const rel = relevance.get(paper.id) ?? { score: 0, modules: [] };
    const summary = await summariser.summarise(paper, {
      project: basename(projectDir),
      modules: rel.modules.map((m) => ({ module: m.module, description: moduleLines.get(m.module) ?? '' })),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (summary.kind === 'extractive' && summary.reason.startsWith('the model')) {
      report.warnings.push(`arXiv:${paper.id}: ${summary.reason}; the note has an extractive summary`);
    }
    const path = join(NOTES_DIR, noteFileName(paper.id));
    notes.push({ paper, path, rel, input: { paper, summary, relevance: rel, moduleLines, at } });
  }

  for (const note of notes) await writeTextAtomic(join(projectDir, note.path), renderNote(note.input));
  const appended = await appendProposals(
    improvementsFile,
    notes.map((n) => ({ id: n.paper.id, version: n.paper.version, text: proposalText(n.input, n.path) })),
  );
  report.proposals = appended.map((p) => p.id);
  for (const { paper, input, path, rel } of notes) {
    const known = index.get(paper.id);
    const record = {
      version: paper.version,
      title: paper.title,
      note: relative(projectDir, join(projectDir, path)),
      score: rel.score,
      modules: rel.modules.map((m) => m.module),
      summary: input.summary.kind,
      firstSeen: known?.firstSeen ?? at,
      updatedAt: at,
    };
    index.set(paper.id, record);
    report.kept.push({
      id: paper.id,
      version: paper.version,
      title: paper.title,
      status: known ? 'updated' : 'new',
      score: rel.score,
      modules: record.modules,
      summary: record.summary,
      note: record.note,
    });
  }
  for (const link of doneLinks) index.markLink(link, at);
  for (const paper of passedNow) index.markPassed(paper.id, paper.version, at);
  report.links.processed = doneLinks;
  if (notes.length > 0 || doneLinks.length > 0 || passedNow.length > 0) await index.save();
  progress({ type: 'written', notes: notes.length, proposals: appended.length });
  return report;
}

/** An arXiv link from improvements.md as a source, or undefined for a link to anything else. */
function arxivLinkSource(url: string): ResearchSource | undefined {
  if (!/^https?:\/\/(?:www\.|export\.)?arxiv\.org\//.test(url)) return undefined;
  try {
    return sourceFromUrl(url);
  } catch {
    return undefined;
  }
}
