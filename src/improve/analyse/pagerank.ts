export interface WeightedEdge {
  from: number;
  to: number;
  weight: number;
}

const DAMPING = 0.85;
const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-9;

/**
 * Personalised PageRank over a weighted directed graph of `n` nodes: a
 * random walk that follows edges in proportion to their weight and, with
 * probability 1 - 0.85 (or from a node without edges), jumps to a node drawn
 * from `personalization` (uniform when absent). Returns ranks summing to 1.
 */
export function pageRank(
  n: number,
  edges: readonly WeightedEdge[],
  personalization?: Float64Array,
): Float64Array {
  if (n === 0) return new Float64Array(0);
  const jump = normalised(personalization ?? new Float64Array(n).fill(1));
  const outWeight = new Float64Array(n);
  for (const edge of edges) outWeight[edge.from]! += edge.weight;
  let rank = new Float64Array(jump);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let node = 0; node < n; node++) if (outWeight[node] === 0) dangling += rank[node]!;
    for (const edge of edges) {
      next[edge.to]! += (DAMPING * rank[edge.from]! * edge.weight) / outWeight[edge.from]!;
    }
    let change = 0;
    for (let node = 0; node < n; node++) {
      next[node]! += (1 - DAMPING + DAMPING * dangling) * jump[node]!;
      change += Math.abs(next[node]! - rank[node]!);
    }
    rank = next;
    if (change < TOLERANCE * n) break;
  }
  return rank;
}

function normalised(weights: Float64Array): Float64Array {
  let total = 0;
  for (const w of weights) total += w;
  if (total <= 0) return new Float64Array(weights.length).fill(1 / weights.length);
  return weights.map((w) => w / total);
}
