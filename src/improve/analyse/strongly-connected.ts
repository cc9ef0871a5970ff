/**
 * The strongly connected components of a directed graph (Tarjan's
 * algorithm, iterative so deep graphs cannot overflow the stack): each
 * group of nodes that reach one another, single nodes included, in the order
 * Tarjan completes them (a component before any that leads to it). Targets
 * that are not among `nodes` are ignored.
 */
export function stronglyConnected<T>(nodes: Iterable<T>, next: (node: T) => Iterable<T>): T[][] {
  const known = new Set(nodes);
  const targets = new Map<T, T[]>();
  const targetsOf = (node: T) => {
    let list = targets.get(node);
    if (!list) {
      list = [...next(node)].filter((target) => known.has(target));
      targets.set(node, list);
    }
    return list;
  };
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const onStack = new Set<T>();
  const stack: T[] = [];
  const components: T[][] = [];
  let counter = 0;
  const enter = (node: T) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
  };
  for (const start of known) {
    if (index.has(start)) continue;
    enter(start);
    const work: Array<{ node: T; child: number }> = [{ node: start, child: 0 }];
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const list = targetsOf(frame.node);
      if (frame.child < list.length) {
        const target = list[frame.child++]!;
        if (!index.has(target)) {
          enter(target);
          work.push({ node: target, child: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: T[] = [];
        let member: T;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}
