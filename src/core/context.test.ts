import { describe, expect, it } from 'vitest';
import { CascadeContext } from './context.js';
import {
  BudgetExceededError,
  CancelledError,
  CircuitOpenError,
  CycleError,
  DeadlineExceededError,
  DepthLimitError,
} from './errors.js';
import { type AnyEvent, EventBus } from './events.js';

function root(options: Partial<Parameters<typeof CascadeContext.createRun>[0]> = {}) {
  const events = new EventBus();
  const seen: AnyEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const ctx = CascadeContext.createRun({ agent: 'planner', task: 'Plan the release', events, ...options });
  return { ctx, seen };
}

describe('CascadeContext', () => {
  it('is immutable and extends the lineage on child()', () => {
    const { ctx } = root();
    const child = ctx.child({ agent: 'coder', task: 'write code' });
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(() => {
      (ctx as { depth: number }).depth = 5;
    }).toThrow(TypeError);
    expect(child.depth).toBe(1);
    expect(child.lineage.map((f) => f.agent)).toEqual(['planner', 'coder']);
    expect(child.parentNodeId).toBe(ctx.nodeId);
    expect(child.runId).toBe(ctx.runId);
    expect(ctx.lineage).toHaveLength(1);
  });

  it('refuses depth over the limit', () => {
    const { ctx, seen } = root({ maxDepth: 2 });
    const a = ctx.child({ agent: 'a', task: '1' });
    const b = a.child({ agent: 'b', task: '2' });
    expect(() => b.child({ agent: 'c', task: '3' })).toThrow(DepthLimitError);
    expect(seen.some((e) => e.type === 'guard.tripped' && e.data.guard === 'depth')).toBe(true);
  });

  it('defaults the depth limit to 8', () => {
    let { ctx } = root();
    for (let i = 1; i <= 8; i++) ctx = ctx.child({ agent: `a${i}`, task: `t${i}` });
    expect(() => ctx.child({ agent: 'a9', task: 't9' })).toThrow(DepthLimitError);
  });

  it('refuses a cycle with the same task, naming the lineage', () => {
    const { ctx } = root();
    const coder = ctx.child({ agent: 'coder', task: 'Fix the bug' });
    const again = coder.child({ agent: 'planner', task: 'something else' });
    expect(again.depth).toBe(2);
    const err = (() => {
      try {
        coder.child({ agent: 'planner', task: '  plan the RELEASE. ' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CycleError);
    expect((err as Error).message).toMatch(/planner\[[0-9a-f]+\] → coder\[[0-9a-f]+\] → planner/);
  });

  it('opens the circuit after the same error three times in a row', () => {
    const { ctx } = root();
    ctx.recordFailure(new Error('tool failed after 120 ms'));
    ctx.recordFailure(new Error('tool failed after 98 ms'));
    expect(() => ctx.child({ agent: 'x', task: 'y' })).not.toThrow();
    ctx.recordFailure(new Error('tool failed after 101 ms'));
    expect(() => ctx.child({ agent: 'x', task: 'y' })).toThrow(CircuitOpenError);
    expect(() => ctx.guard()).toThrow(CircuitOpenError);
  });

  it('resets the circuit on a different error or a success', () => {
    const { ctx } = root();
    ctx.recordFailure(new Error('a'));
    ctx.recordFailure(new Error('a'));
    ctx.recordFailure(new Error('b'));
    expect(() => ctx.guard()).not.toThrow();
    ctx.recordFailure(new Error('b'));
    ctx.recordSuccess();
    ctx.recordFailure(new Error('b'));
    expect(() => ctx.guard()).not.toThrow();
  });

  it('refuses reservations that would overspend and children once the budget is spent', () => {
    const { ctx } = root({ budget: { tokens: 100, usd: 0.01 } });
    const r = ctx.reserve(60, 0.001);
    expect(() => ctx.reserve(50, 0)).toThrow(BudgetExceededError);
    ctx.ledger.commit(r, { tokens: 100, usd: 0.001 });
    expect(() => ctx.child({ agent: 'x', task: 'y' })).toThrow(BudgetExceededError);
  });

  it('refuses work past the deadline', () => {
    const { ctx } = root({ deadline: Date.now() - 1 });
    expect(() => ctx.child({ agent: 'x', task: 'y' })).toThrow(DeadlineExceededError);
  });

  it('aborts at the deadline', async () => {
    const { ctx } = root({ deadline: Date.now() + 20 });
    const child = ctx.child({ agent: 'x', task: 'y' });
    await new Promise((r) => child.signal.addEventListener('abort', r, { once: true }));
    expect(child.signal.reason).toBeInstanceOf(DeadlineExceededError);
  });

  it('cancelling a parent aborts every descendant', () => {
    const { ctx } = root();
    const a = ctx.child({ agent: 'a', task: '1' });
    const b = a.child({ agent: 'b', task: '2' });
    const sibling = ctx.child({ agent: 'c', task: '3' });
    a.cancel('stop');
    expect(b.signal.aborted).toBe(true);
    expect(sibling.signal.aborted).toBe(false);
    expect(() => b.guard()).toThrow(CancelledError);
    expect(() => ctx.guard()).not.toThrow();
  });

  it('follows an outer signal', () => {
    const outer = new AbortController();
    const { ctx } = root({ signal: outer.signal });
    const child = ctx.child({ agent: 'a', task: '1' });
    outer.abort(new Error('Ctrl-C'));
    expect(child.signal.aborted).toBe(true);
  });

  it('stops following the parent after release()', () => {
    const { ctx } = root();
    const child = ctx.child({ agent: 'a', task: '1' });
    child.release();
    ctx.cancel();
    expect(child.signal.aborted).toBe(false);
  });
});
