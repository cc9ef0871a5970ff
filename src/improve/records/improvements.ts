import { readBlock, replaceBlock } from './block.js';
import { ms, table } from './markdown.js';

/** A merged change as the log shows it. */
export interface MergedChange {
  candidateId: string;
  title?: string;
  branch?: string;
  commit?: string;
  diff?: { files: number; added: number; removed: number };
  effect?: { largestBefore: number; largestAfter: number; testMsBefore?: number; testMsAfter?: number };
}

/**
 * `improvements.md` with a section for this run on top: each merged change,
 * its branch and commit, and its measured effect (largest touched file
 * before and after, lines changed, test time before and after).
 */
export function renderImprovements(
  existing: string | undefined,
  run: { runId: string; date: string; target: string; merged: readonly MergedChange[]; noTests: boolean },
): string {
  const rows = run.merged.map((r) => [
    r.title ?? r.candidateId,
    r.branch ? `\`${r.branch}\`` : '–',
    r.commit?.slice(0, 12),
    r.effect ? `${r.effect.largestBefore} → ${r.effect.largestAfter}` : '–',
    r.diff ? `+${r.diff.added} −${r.diff.removed} in ${r.diff.files} file(s)` : '–',
    r.effect ? `${ms(r.effect.testMsBefore)} → ${ms(r.effect.testMsAfter)}` : '–',
  ]);
  const section = [
    `## ${run.date}: run ${run.runId} on ${run.target}`,
    '',
    rows.length > 0
      ? table(['change', 'branch', 'commit', 'largest file touched (lines)', 'diff', 'test time'], rows)
      : '_No change was merged._',
    ...(run.noTests
      ? [
          '',
          '_The repository has no tests: these changes were kept with `--no-tests`, checked by lint and typecheck only._',
        ]
      : []),
  ].join('\n');
  const previous = readBlock(existing, 'improvements').trim();
  const intro = 'Each change `swarm improve` merged, newest first, with its measured effect.';
  const earlier = previous.startsWith(intro) ? previous.slice(intro.length).trim() : previous;
  return replaceBlock(
    existing,
    'improvements',
    [intro, section, earlier].filter(Boolean).join('\n\n'),
    'Improvements',
  );
}
