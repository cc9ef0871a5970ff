import { describe, expect, it } from 'vitest';
import { type RequestFeatures, RuleBook } from './rule-book.js';
import { parseScenario } from './scenario.js';

const base: RequestFeatures = {
  model: 'a',
  system: '',
  lastUser: '',
  lastToolResult: undefined,
  toolNames: [],
};
const ask = (over: Partial<RequestFeatures> = {}) => ({ ...base, ...over });

function book(rules: unknown[]) {
  return new RuleBook(parseScenario({ models: ['a', 'b'], rules }));
}

describe('RuleBook', () => {
  it('takes the first rule whose conditions all hold', () => {
    const b = book([
      { name: 'planner', match: { system: 'planner', lastUser: '/REVIEW/i' }, reply: { content: 'p' } },
      { name: 'tool', match: { hasTool: 'read_file', model: 'b' }, reply: { content: 't' } },
      { name: 'bare', match: { noTools: true }, reply: { content: 'n' } },
      { name: 'result', match: { lastToolResult: 'passed' }, reply: { content: 'r' } },
    ]);
    expect(b.select(ask({ system: 'you are the planner', lastUser: 'please review' })).label).toBe('planner');
    expect(b.select(ask({ system: 'you are the planner', lastUser: 'write' })).label).toBe('bare');
    expect(b.select(ask({ model: 'b', toolNames: ['read_file'] })).label).toBe('tool');
    expect(b.select(ask({ model: 'a', toolNames: ['read_file'] })).label).toBe('fallback');
    expect(b.select(ask({ toolNames: ['x'], lastToolResult: 'tests passed' })).label).toBe('result');
    expect(b.select(ask({ toolNames: ['x'], lastUser: 'tests passed' })).label).toBe('fallback');
  });

  it('counts requests for `request: N` and uses for `times`, and starts over on reset', () => {
    const b = book([
      { name: 'second', match: { request: 2 }, reply: { content: '2' } },
      { name: 'twice', times: 2, reply: { content: 't' } },
      { name: 'after', reply: { content: 'a' } },
    ]);
    const labels = () => [1, 2, 3, 4, 5].map(() => b.select(ask()).label);
    expect(labels()).toEqual(['twice', 'second', 'twice', 'after', 'after']);
    b.reset();
    expect(labels()).toEqual(['twice', 'second', 'twice', 'after', 'after']);
  });

  it('labels unnamed rules by position and gives a fault-only rule the fallback reply', () => {
    const b = book([{ fault: { type: 'cut', afterChunks: 2 } }]);
    const picked = b.select(ask());
    expect(picked.label).toBe('rules[0]');
    expect(picked.fault).toEqual({ type: 'cut', afterChunks: 2 });
    expect(picked.reply.content).toContain('no scenario rule matched');
    expect(picked.requestNumber).toBe(1);
  });

  it('applies an untilMs rule only inside its window, which a reset reopens', () => {
    let now = 1_000;
    const b = new RuleBook(
      parseScenario({
        models: ['a'],
        rules: [{ name: 'outage', match: { untilMs: 500 }, fault: { type: 'http', status: 503 } }],
      }),
      () => now,
    );
    expect(b.select(ask()).label).toBe('outage');
    now += 499;
    expect(b.select(ask()).label).toBe('outage');
    now += 1;
    expect(b.select(ask()).label).toBe('fallback');
    b.reset();
    expect(b.select(ask()).label).toBe('outage');
  });
});
