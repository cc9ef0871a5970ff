/**
 * The k best (score, id) pairs seen, in a binary min-heap: O(log k) per
 * candidate, no allocation per push. Ties keep the earlier id, so results
 * are deterministic.
 */
export class TopK {
  readonly scores: Float64Array;
  readonly ids: Float64Array;
  size = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k));
    this.ids = new Float64Array(Math.max(1, k));
  }

  /** The score a candidate must beat to get in. */
  get threshold(): number {
    return this.size < this.k ? Number.NEGATIVE_INFINITY : this.scores[0]!;
  }

  push(score: number, id: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.less(score, id, this.scores[parent]!, this.ids[parent]!)) break;
        this.scores[i] = this.scores[parent]!;
        this.ids[i] = this.ids[parent]!;
        i = parent;
      }
      this.scores[i] = score;
      this.ids[i] = id;
      return;
    }
    if (!this.less(this.scores[0]!, this.ids[0]!, score, id)) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      let child = left;
      if (
        right < this.size &&
        this.less(this.scores[right]!, this.ids[right]!, this.scores[left]!, this.ids[left]!)
      ) {
        child = right;
      }
      if (!this.less(this.scores[child]!, this.ids[child]!, score, id)) break;
      this.scores[i] = this.scores[child]!;
      this.ids[i] = this.ids[child]!;
      i = child;
    }
    this.scores[i] = score;
    this.ids[i] = id;
  }

  /** Best first. */
  sorted(): { score: number; id: number }[] {
    const out: { score: number; id: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ score: this.scores[i]!, id: this.ids[i]! });
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  /** Worse in the heap's order: a lower score, or the same score and a later id. */
  private less(scoreA: number, idA: number, scoreB: number, idB: number): boolean {
    return scoreA < scoreB || (scoreA === scoreB && idA > idB);
  }
}
