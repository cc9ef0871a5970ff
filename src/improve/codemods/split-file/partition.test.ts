import { describe, expect, it } from 'vitest';
import { type PartNode, partition } from './partition.js';

const node = (id: number, lines: number, uses: number[] = [], loadUses: number[] = []): PartNode => ({
  id,
  lines,
  uses,
  loadUses,
});

/** Every module under the budget, every node placed once, and no module reaching itself through load-time uses. */
function check(nodes: PartNode[], modules: number[][], budget: number): void {
  const moduleOf = new Map<number, number>();
  modules.forEach((ids, m) => {
    for (const id of ids) moduleOf.set(id, m);
  });
  expect([...moduleOf.keys()].sort((a, b) => a - b)).toEqual(nodes.map((n) => n.id));
  for (const ids of modules)
    expect(ids.reduce((s, id) => s + nodes[id]!.lines, 0)).toBeLessThanOrEqual(budget);
  const edges = new Map<number, Set<number>>();
  for (const n of nodes) {
    for (const v of n.loadUses.length ? n.loadUses : n.uses) {
      const [a, b] = [moduleOf.get(n.id)!, moduleOf.get(v)!];
      if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
  }
  const reaches = (from: number, to: number, seen = new Set<number>()): boolean =>
    [...(edges.get(from) ?? [])].some(
      (next) => next === to || (!seen.has(next) && seen.add(next) && reaches(next, to, seen)),
    );
  for (let m = 0; m < modules.length; m++) expect(reaches(m, m)).toBe(false);
}

describe('partition', () => {
  it('keeps each entry point with the helpers only it uses and puts shared helpers apart', () => {
    // 0: shared helper; 1-2 helpers of 3; 4-5 helpers of 6; 3 and 6 use 0.
    const nodes = [
      node(0, 20),
      node(1, 60),
      node(2, 60),
      node(3, 40, [0, 1, 2]),
      node(4, 60),
      node(5, 60),
      node(6, 40, [0, 4, 5]),
    ];
    const result = partition(nodes, 200);
    expect(result).toEqual({ modules: [[0], [1, 2, 3], [4, 5, 6]] });
    if ('modules' in result) check(nodes, result.modules, 200);
  });

  it('cuts a long dependency chain into ordered chunks', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => node(i, 30, i < 9 ? [i + 1] : []));
    const result = partition(nodes, 100);
    if (!('modules' in result)) throw new Error('expected modules');
    expect(result.modules.length).toBeGreaterThanOrEqual(4);
    check(nodes, result.modules, 100);
  });

  it('cuts a reference cycle where only bodies refer back, but not one needed at load time', () => {
    // A ring of functions calling each other in their bodies: no load-time use.
    const ring = Array.from({ length: 6 }, (_, i) => node(i, 40, [(i + 1) % 6]));
    const cut = partition(ring, 100);
    expect('modules' in cut && cut.modules.length).toBeGreaterThan(1);
    // The same ring needed at load time (initialisers) cannot be cut.
    const loaded = ring.map((n) => ({ ...n, loadUses: n.uses }));
    expect(partition(loaded, 100)).toEqual({ tooLarge: [0, 1, 2, 3, 4, 5] });
    expect(partition([node(0, 150)], 100)).toEqual({ tooLarge: [0] });
  });
});
