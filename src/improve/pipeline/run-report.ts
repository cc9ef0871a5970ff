import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RepoFigures } from '../records/figures.js';
import { ms, percent, table } from '../records/markdown.js';
import type { ImproveReport } from './options.js';

/** Writes the run report as Markdown and JSON; returns their paths. */
export async function writeRunReport(dir: string, report: ImproveReport): Promise<ImproveReport['files']> {
  await mkdir(dir, { recursive: true });
  const files = { markdown: join(dir, `${report.runId}.md`), json: join(dir, `${report.runId}.json`) };
  const full = { ...report, files };
  await writeFile(files.json, `${JSON.stringify(full, null, 2)}\n`);
  await writeFile(files.markdown, runReportMarkdown(full));
  return files;
}

export function runReportMarkdown(report: ImproveReport): string {
  const out: string[] = [
    `# swarm improve: run ${report.runId}`,
    '',
    `- repository: \`${report.repo}\`, branch \`${report.target}\``,
    `- from ${report.startedAt} to ${report.finishedAt}`,
    `- ran as: ${report.execution}`,
    ...Object.entries(report.commands).map(([purpose, command]) => `- ${purpose}: \`${command}\``),
    ...(Object.keys(report.commands).includes('test')
      ? []
      : [
          '- **no test command**: ' +
            (report.noTests
              ? 'changes were kept with `--no-tests`, checked by lint and typecheck only'
              : 'no change could be kept (pass `--no-tests` to allow it)'),
        ]),
    ...(report.allowDirty && report.untouchedChanges.length > 0
      ? [
          `- \`--allow-dirty\`: ${report.untouchedChanges.length} uncommitted path(s) were left untouched; the run worked from the last commit`,
        ]
      : []),
    ...(report.reclaimed.runs.length > 0
      ? [
          `- reclaimed from killed runs: ${report.reclaimed.worktrees} worktree(s), ${report.reclaimed.branches} branch(es)`,
        ]
      : []),
  ];
  for (const cycle of report.cycles) {
    const counts = { kept: 0, rolled_back: 0, skipped: 0 };
    for (const r of cycle.results) counts[r.outcome]++;
    out.push(
      '',
      `## Cycle ${cycle.cycle} (from ${cycle.base.slice(0, 12)})`,
      '',
      `${cycle.planned.length} candidate(s) tried of ${cycle.found} found (${cycle.waiting.length} waiting for a model or a skill): ${counts.kept} kept, ${counts.rolled_back} rolled back, ${counts.skipped} skipped.`,
      '',
      table(
        ['candidate', 'skill', 'outcome', 'reason', 'branch', 'review'],
        cycle.results.map((r) => [
          `\`${r.candidateId}\``,
          r.skill,
          r.outcome,
          r.reason,
          r.branch ? `\`${r.branch}\`` : '–',
          r.review ? `${r.review.approved ? 'approved' : 'rejected'}: ${r.review.reasons.join('; ')}` : '–',
        ]),
      ),
    );
    const m = cycle.merge;
    if (m) {
      out.push(
        '',
        '### Merge',
        '',
        `- integration branch \`${m.integrationBranch}\` at ${m.tip.slice(0, 12)}, ${m.testRuns} test run(s)`,
        `- merged: ${m.merged.length > 0 ? m.merged.map((b) => `\`${b}\``).join(', ') : 'none'}`,
        ...m.dropped.map((d) => `- dropped \`${d.branch}\`: ${d.reason}`),
        m.target.moved
          ? `- \`${m.target.branch}\` fast-forwarded ${m.target.from.slice(0, 12)} → ${m.target.to?.slice(0, 12)} (${m.target.how})`
          : `- \`${m.target.branch}\` not moved: ${m.target.reason}`,
      );
    }
    out.push('', '### Before and after', '', figuresTable(cycle.before, cycle.after));
    if (cycle.notes.length > 0) out.push('', '### Notes', '', ...cycle.notes.map((n) => `- ${n}`));
  }
  return `${out.join('\n')}\n`;
}

function figuresTable(before: RepoFigures, after: RepoFigures | undefined): string {
  const row = (name: string, pick: (f: RepoFigures) => string | number) => [
    name,
    pick(before),
    after ? pick(after) : '–',
  ];
  const largest = (f: RepoFigures) => f.largestFiles.map((x) => `${x.path} (${x.lines})`).join(', ') || '–';
  const complex = (f: RepoFigures) =>
    f.mostComplex
      .slice(0, 3)
      .map((x) => `${x.path} ${x.name} (${x.complexity})`)
      .join(', ') || '–';
  return table(
    ['measure', 'before', 'after'],
    [
      row('files', (f) => f.files),
      row('lines', (f) => f.lines),
      row('largest files (lines)', largest),
      row('duplicated block pairs', (f) => f.duplication.pairs),
      row('duplicated lines', (f) => `${f.duplication.duplicatedLines} (${percent(f.duplication.share)})`),
      row('total complexity', (f) => f.complexity),
      row('most complex functions', complex),
      row('test time', (f) => ms(f.testMs)),
    ],
  );
}
