import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation.js';

describe('Cancellation', () => {
  it('tells each listener once, with the reason, and late listeners at once', () => {
    const c = new Cancellation();
    const heard: unknown[] = [];
    c.onAbort((r) => heard.push(r));
    const detach = c.onAbort(() => heard.push('detached'));
    detach();
    c.abort('first');
    c.abort('second');
    c.onAbort((r) => heard.push(`late ${String(r)}`));
    expect(heard).toEqual(['first', 'late first']);
    expect(c.aborted).toBe(true);
    expect(c.reason).toBe('first');
  });

  it('aborts children with the parent, but not the parent with a child', () => {
    const parent = new Cancellation();
    const a = parent.child();
    const b = parent.child();
    a.cancel.abort('own');
    expect(parent.aborted).toBe(false);
    b.detach();
    parent.abort('all');
    expect(a.cancel.reason).toBe('own');
    expect(b.cancel.aborted).toBe(false);
  });
});
