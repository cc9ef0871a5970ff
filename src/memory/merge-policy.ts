import type { SegmentEntry } from './manifest.js';

/** A segment with at least this share of its chunks deleted is rewritten on its own. */
const COMPACT_SHARE = 0.3;

/**
 * LSM tiering: segments fall into size tiers (each `factor` times the
 * last, starting at one sealed segment, sizes rounded in log scale); when a tier holds `factor`
 * segments, the oldest `factor` merge into one of the next tier. So every
 * chunk is rewritten about log_factor(N) times in all, and a search sees
 * O(factor * log N) segments. A segment heavy with deletions is compacted
 * alone. Only segments with complete vectors take part (a merge copies
 * vectors; it does not make them).
 */
export function pickMerge(
  segments: readonly SegmentEntry[],
  factor: number,
  baseChunks: number,
  liveDocs: (id: number) => number,
): SegmentEntry[] | undefined {
  const ready = segments.filter((s) => s.vectors !== undefined);
  const tiers = new Map<number, SegmentEntry[]>();
  for (const segment of ready) {
    // rounded, so a sealed segment that overshot its size a little stays in tier 0
    const tier = Math.max(0, Math.round(Math.log(Math.max(1, segment.docs) / baseChunks) / Math.log(factor)));
    const list = tiers.get(tier) ?? [];
    list.push(segment);
    tiers.set(tier, list);
  }
  for (const tier of [...tiers.keys()].sort((a, b) => a - b)) {
    const list = tiers.get(tier)!;
    if (list.length >= factor) return list.slice(0, factor);
  }
  const heavy = ready.find((s) => s.docs > 0 && 1 - liveDocs(s.id) / s.docs >= COMPACT_SHARE);
  return heavy ? [heavy] : undefined;
}
