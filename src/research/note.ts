import { stringify } from 'yaml';
import type { Paper } from './atom-feed.js';
import type { Relevance } from './project-ranker.js';
import type { PaperSummary } from './summary.js';

export interface NoteInput {
  paper: Paper;
  summary: PaperSummary;
  relevance: Relevance;
  /** The modules' one-line descriptions, by module. */
  moduleLines: ReadonlyMap<string, string>;
  /** ISO time of this run. */
  at: string;
}

/** One paper's note: YAML front matter for scripts, then the summary, the modules, the abstract. */
export function renderNote({ paper, summary, relevance, moduleLines, at }: NoteInput): string {
  const front = stringify({
    arxiv: paper.id,
    version: paper.version,
    title: paper.title,
    authors: paper.authors.map((a) =>
      a.affiliations.length ? `${a.name} (${a.affiliations.join('; ')})` : a.name,
    ),
    published: paper.published,
    updated: paper.updated,
    primary_category: paper.primaryCategory ?? null,
    categories: paper.categories,
    doi: paper.doi ?? null,
    journal_ref: paper.journalRef ?? null,
    comment: paper.comment ?? null,
    relevance: Number(relevance.score.toFixed(4)),
    modules: relevance.modules.map((m) => m.module),
    summary: summary.kind,
    noted: at,
  });
  const links = [`[abstract](${paper.links.abs})`];
  if (paper.links.pdf) links.push(`[PDF](${paper.links.pdf})`);
  if (paper.doi) links.push(`DOI [${paper.doi}](${paper.links.doi ?? `https://doi.org/${paper.doi}`})`);
  const out = [
    `---\n${front}---`,
    `# ${paper.title}`,
    '',
    `${paper.authors.map((a) => a.name).join(', ')} · ${paper.primaryCategory ?? 'uncategorised'} · ` +
      `v${paper.version}, ${paper.updated.slice(0, 10)} (first ${paper.published.slice(0, 10)})`,
    '',
    links.join(' · '),
    '',
    ...renderSummary(summary),
    '## Modules it could improve',
    '',
    ...(relevance.modules.length
      ? relevance.modules.map(
          (m) => `- \`${m.module}\`${moduleLines.get(m.module) ? `: ${moduleLines.get(m.module)}` : ''}`,
        )
      : ['- none stood out: no module description ranked this paper near the top']),
    '',
    '## Abstract',
    '',
    paper.abstract,
    '',
  ];
  if (paper.journalRef) out.push(`Journal reference: ${paper.journalRef}`, '');
  if (paper.comment) out.push(`Comment: ${paper.comment}`, '');
  return out.join('\n');
}

function renderSummary(summary: PaperSummary): string[] {
  if (summary.kind === 'extractive') {
    return [
      `## Summary (extractive: sentences copied from the abstract; ${summary.reason})`,
      '',
      summary.sentences.map((s) => `> ${s}`).join('\n>\n'),
      '',
    ];
  }
  return [
    `## Summary (written by ${summary.by})`,
    '',
    `- **Problem.** ${summary.problem}`,
    `- **Method.** ${summary.method}`,
    `- **Result.** ${summary.result}`,
    `- **What it would change here.** ${summary.impact}`,
    '',
  ];
}

/** The proposal's one line in improvements.md. */
export function proposalText(input: NoteInput, notePath: string): string {
  const { paper, summary, relevance } = input;
  const modules = relevance.modules.map((m) => `\`${m.module}\``).join(', ') || 'no module in particular';
  const change =
    summary.kind === 'model'
      ? summary.impact
      : `read for ideas (extractive, no model): ${summary.sentences[0] ?? paper.title}`;
  return `${paper.title} — ${change} (modules: ${modules}; note: ${notePath})`;
}
