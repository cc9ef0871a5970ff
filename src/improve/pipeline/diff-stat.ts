import { git } from '../worktree/git.js';

export interface DiffStat {
  files: number;
  added: number;
  removed: number;
}

/** Lines added and removed between two commits (binary files count as one file, no lines). */
export async function diffStat(root: string, from: string, to: string): Promise<DiffStat> {
  const out = await git(root, ['diff', '--numstat', '--no-renames', from, to]);
  const stat: DiffStat = { files: 0, added: 0, removed: 0 };
  for (const line of out.stdout.split('\n')) {
    const [added, removed] = line.split('\t');
    if (added === undefined || removed === undefined) continue;
    stat.files++;
    stat.added += Number(added) || 0;
    stat.removed += Number(removed) || 0;
  }
  return stat;
}
