/**
 * The permutation that sorts `keys[0..n)` (unsigned 32-bit) ascending,
 * stable: two counting passes of 16 bits. Linear time, where a comparison
 * sort of millions of postings would take seconds.
 */
export function radixOrder(keys: Uint32Array, n: number): Uint32Array {
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((keys[i]! >>> shift) & 0xffff) + 1]!++;
    for (let b = 0; b < 65536; b++) counts[b + 1]! += counts[b]!;
    for (let i = 0; i < n; i++) {
      const index = order[i]!;
      next[counts[(keys[index]! >>> shift) & 0xffff]!++] = index;
    }
    [order, next] = [next, order];
  }
  return order;
}
