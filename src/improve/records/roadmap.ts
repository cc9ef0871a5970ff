import { readBlock, replaceBlock } from './block.js';
import { rowCells, table } from './markdown.js';

export const ROADMAP_STATUSES = ['planned', 'in progress', 'done', 'dropped'] as const;
export type RoadmapStatus = (typeof ROADMAP_STATUSES)[number];

export interface RoadmapEntry {
  id: string;
  skill: string;
  status: RoadmapStatus;
  branch: string;
  reason: string;
  run: string;
}

const HEADINGS: Record<RoadmapStatus, string> = {
  planned: 'Planned',
  'in progress': 'In progress',
  done: 'Done',
  dropped: 'Dropped',
};
const HEADER = ['candidate', 'skill', 'branch', 'reason', 'run'];

/** The entries a previous run wrote into `roadmap.md`. */
export function parseRoadmap(existing: string | undefined): RoadmapEntry[] {
  const entries: RoadmapEntry[] = [];
  let status: RoadmapStatus | undefined;
  for (const line of readBlock(existing, 'roadmap').split('\n')) {
    const heading = /^## (.+)$/.exec(line.trim());
    if (heading) {
      status = ROADMAP_STATUSES.find((s) => HEADINGS[s] === heading[1]);
      continue;
    }
    if (!status || !line.trim().startsWith('|')) continue;
    const [id, skill, branch, reason, run] = rowCells(line);
    if (!id || id === 'candidate' || /^-+$/.test(id)) continue;
    entries.push({
      id: id.replace(/^`|`$/g, ''),
      skill: skill ?? '',
      status,
      branch: (branch ?? '').replace(/^`|`$/g, '').replace(/^–$/, ''),
      reason: reason ?? '',
      run: run ?? '',
    });
  }
  return entries;
}

/**
 * `roadmap.md` with this run's entries folded in: an entry of this run
 * replaces the one with the same candidate id; the others stay where they were.
 */
export function renderRoadmap(existing: string | undefined, updates: readonly RoadmapEntry[]): string {
  const byId = new Map(parseRoadmap(existing).map((entry) => [entry.id, entry]));
  for (const entry of updates) byId.set(entry.id, entry);
  const sections = ROADMAP_STATUSES.map((status) => {
    const rows = [...byId.values()]
      .filter((entry) => entry.status === status)
      .map((e) => [`\`${e.id}\``, e.skill, e.branch ? `\`${e.branch}\`` : '–', e.reason, e.run]);
    return `## ${HEADINGS[status]}\n\n${rows.length > 0 ? table(HEADER, rows) : '_none_'}`;
  });
  const intro =
    'Kept up to date by `swarm improve`: what it plans, is working on, has merged and has dropped, with the branch and the reason for each.';
  return replaceBlock(existing, 'roadmap', `${intro}\n\n${sections.join('\n\n')}`, 'Roadmap');
}
