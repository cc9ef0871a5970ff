import type { ClonePair, CloneSide, RepoAnalysis } from '../analyse/index.js';
import { type Candidate, isTestFile, scored } from './candidate.js';

/** Half the value is reached at this many duplicated lines. */
const HALF_VALUE_LINES = 40;

/**
 * Duplicated blocks to extract into one shared function. The pairs sharing
 * a first copy are one candidate (three copies of a block are one change).
 * The value saturates with the duplicated lines; copies across files carry
 * more risk than copies within one (an import must be added, a home chosen).
 */
export function extractDuplicateCandidates(analysis: RepoAnalysis): Candidate[] {
  const groups = new Map<string, ClonePair[]>();
  for (const pair of analysis.duplicates.pairs) {
    const key = sideKey(pair.first);
    groups.set(key, [...(groups.get(key) ?? []), pair]);
  }
  const candidates: Candidate[] = [];
  for (const pairs of groups.values()) {
    const first = pairs[0]!.first;
    const copies = pairs.map((pair) => pair.second);
    const lines = copies.reduce((sum, side) => sum + side.endLine - side.startLine + 1, 0);
    const tokens = pairs.reduce((sum, pair) => sum + pair.tokens, 0);
    const files = new Set([first.path, ...copies.map((side) => side.path)]);
    const test = [...files].every(isTestFile);
    candidates.push(
      scored({
        id: `extract-duplicate:${sideKey(first)}`,
        skill: 'extract-duplicate',
        target: { ...first },
        related: copies.map((side) => ({ ...side })),
        reason:
          `${first.path}:${first.startLine}-${first.endLine} is repeated ${copies.length === 1 ? 'once more' : `${copies.length} more times`} ` +
          `(${lines} duplicated lines${files.size > 1 ? `, across ${files.size} files` : ''})`,
        figures: { copies: copies.length + 1, duplicatedLines: lines, tokens, files: files.size },
        value: (lines / (lines + HALF_VALUE_LINES)) * (test ? 0.5 : 1),
        risk: files.size > 1 ? 0.4 : 0.3,
        needsModel: true,
      }),
    );
  }
  return candidates;
}

function sideKey(side: CloneSide): string {
  return `${side.path}:${side.startLine}-${side.endLine}`;
}
