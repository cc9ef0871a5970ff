/**
 * How alike two texts are, as difflib's `ratio()` defines it: twice the
 * length of their longest common subsequence over their total length (1 is
 * identical, 0 shares nothing). Computed with Myers' O((N+M)·D) algorithm;
 * with a `floor`, the search stops as soon as the ratio is known to be below
 * it, so a hopeless comparison costs little, and the answer is then 0.
 */
export function similarityRatio(a: string, b: string, floor = 0): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  const maxD = Math.floor((1 - floor) * total);
  const d = editDistance(a, b, maxD);
  return d === undefined ? 0 : 1 - d / total;
}

/** Insertions plus deletions turning `a` into `b`, or undefined when more than `maxD`. */
function editDistance(a: string, b: string, maxD: number): number | undefined {
  const n = a.length;
  const m = b.length;
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  for (let d = 0; d <= maxD; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a.charCodeAt(x) === b.charCodeAt(y)) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return d;
    }
  }
  return undefined;
}
