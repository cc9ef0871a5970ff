import { stronglyConnected } from '../../analyse/strongly-connected.js';

/** A declaration (or several merged under one name) as the partition sees it. */
export interface PartNode {
  id: number;
  lines: number;
  /** The nodes it refers to anywhere (bodies, types, initialisers). */
  uses: readonly number[];
  /** The nodes it needs while its module loads: initialisers, `extends`, decorators, static fields. */
  loadUses: readonly number[];
}

export type PartitionResult = { modules: number[][] } | { tooLarge: number[] };

/**
 * Splits a file's declarations into modules of at most `budget` lines each
 * whose load-time imports of one another form no cycle, so modules evaluate
 * in a valid order and no initialiser meets an uninitialised binding.
 *
 * Cohesion comes from the reference graph: mutually referring declarations
 * (a strongly connected component) stay together when they fit; a larger
 * component is cut where only function bodies and types refer back, which
 * ES modules and TypeScript resolve lazily. Among the resulting units, each
 * one nothing else uses (a root: usually an exported entry point) takes
 * with it every helper only it reaches, and helpers reached from several
 * roots form a shared layer, partitioned again the same way. Roots only
 * depend on their own helpers and the shared layer, and the shared layer
 * never on a root, so modules import downwards. Small groups are packed
 * together in source order; a group that alone exceeds the budget is cut
 * along a dependency-first order (later chunks import earlier ones).
 *
 * Returns the modules as lists of node ids in source order, or the ids of a
 * group that must load together and alone exceeds the budget.
 */
export function partition(nodes: readonly PartNode[], budget: number): PartitionResult {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const size = (ids: readonly number[]) => ids.reduce((sum, id) => sum + byId.get(id)!.lines, 0);
  const whole = components(
    nodes.map((n) => n.id),
    (id) => byId.get(id)!.uses,
  );
  const componentOf = new Map<number, number>();
  whole.forEach((ids, i) => {
    for (const id of ids) componentOf.set(id, i);
  });
  const pieces: number[][] = [];
  for (const ids of whole) {
    if (size(ids) <= budget) {
      pieces.push(ids);
      continue;
    }
    const inside = new Set(ids);
    for (const sub of components(ids, (id) => byId.get(id)!.loadUses.filter((v) => inside.has(v)))) {
      if (size(sub) > budget) return { tooLarge: sub };
      pieces.push(sub);
    }
  }
  pieces.sort((a, b) => a[0]! - b[0]!);
  const unitOf = new Map<number, number>();
  pieces.forEach((ids, i) => {
    for (const id of ids) unitOf.set(id, i);
  });
  // Inside a cut component only load-time references order the units; the rest may point back.
  const units: Unit[] = pieces.map((members, index) => {
    const uses = new Set<number>();
    for (const m of members) {
      const node = byId.get(m)!;
      for (const v of node.uses) {
        const target = unitOf.get(v);
        if (target === undefined || target === index) continue;
        if (componentOf.get(v) !== componentOf.get(m) || node.loadUses.includes(v)) uses.add(target);
      }
    }
    return { index, members, lines: size(members), uses };
  });
  const modules = split(units, budget);
  return {
    modules: modules
      .map((module) => module.flatMap((c) => c.members).sort((a, b) => a - b))
      .sort((a, b) => a[0]! - b[0]!),
  };
}

/** A strongly connected component: the unit the partition moves. */
interface Unit {
  index: number;
  members: number[];
  lines: number;
  uses: Set<number>;
}

function split(units: readonly Unit[], budget: number): Unit[][] {
  if (total(units) <= budget) return [[...units]];
  const inside = new Set(units.map((u) => u.index));
  const usedBy = new Map<number, number>();
  for (const u of units) for (const v of u.uses) if (inside.has(v)) usedBy.set(v, (usedBy.get(v) ?? 0) + 1);
  const roots = units.filter((u) => !usedBy.has(u.index));
  const byIndex = new Map(units.map((u) => [u.index, u]));
  const owners = new Map<number, Set<number>>();
  for (const root of roots) {
    const stack = [root.index];
    const seen = new Set(stack);
    while (stack.length > 0) {
      const at = stack.pop()!;
      owners.set(at, (owners.get(at) ?? new Set()).add(root.index));
      for (const next of byIndex.get(at)!.uses) {
        if (inside.has(next) && !seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
  }
  const groups = new Map<number, Unit[]>();
  const shared: Unit[] = [];
  for (const u of units) {
    const own = owners.get(u.index)!;
    if (own.size === 1) {
      const [root] = own;
      groups.set(root!, [...(groups.get(root!) ?? []), u]);
    } else shared.push(u);
  }
  if (groups.size <= 1 && shared.length === 0) return chunk(units, budget);
  const modules: Unit[][] = [];
  const small: Unit[][] = [];
  for (const group of groups.values()) {
    if (total(group) > budget) modules.push(...chunk(group, budget));
    else small.push(group);
  }
  modules.push(...pack(small, budget));
  if (shared.length > 0) modules.push(...split(shared, budget));
  return modules;
}

/** First-fit in source order: neighbouring groups tend to belong together. */
function pack(groups: Unit[][], budget: number): Unit[][] {
  const bins: Unit[][] = [];
  const sorted = [...groups].sort((a, b) => first(a) - first(b));
  for (const group of sorted) {
    const bin = bins.find((b) => total(b) + total(group) <= budget);
    if (bin) bin.push(...group);
    else bins.push([...group]);
  }
  return bins;
}

/** Consecutive runs of a dependency-first order: each chunk uses only itself and earlier chunks. */
function chunk(units: readonly Unit[], budget: number): Unit[][] {
  const chunks: Unit[][] = [];
  let current: Unit[] = [];
  for (const u of dependencyOrder(units)) {
    if (current.length > 0 && total(current) + u.lines > budget) {
      chunks.push(current);
      current = [];
    }
    current.push(u);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function dependencyOrder(units: readonly Unit[]): Unit[] {
  const byIndex = new Map(units.map((u) => [u.index, u]));
  const done = new Set<number>();
  const order: Unit[] = [];
  const visit = (u: Unit) => {
    if (done.has(u.index)) return;
    done.add(u.index);
    for (const v of [...u.uses].sort((a, b) => a - b)) {
      const dep = byIndex.get(v);
      if (dep) visit(dep);
    }
    order.push(u);
  };
  for (const u of [...units].sort((a, b) => first([a]) - first([b]))) visit(u);
  return order;
}

function total(units: readonly Unit[]): number {
  return units.reduce((sum, u) => sum + u.lines, 0);
}

function first(units: readonly Unit[]): number {
  return Math.min(...units.flatMap((u) => u.members));
}

/** The components of the graph `next` draws over `ids`, each sorted, in source order. */
function components(ids: readonly number[], next: (id: number) => Iterable<number>): number[][] {
  return stronglyConnected(ids, next)
    .map((component) => component.sort((a, b) => a - b))
    .sort((a, b) => a[0]! - b[0]!);
}
