import { describe, expect, it } from 'vitest';
import { renderImprovements } from './improvements.js';
import { parseRoadmap, type RoadmapEntry, renderRoadmap } from './roadmap.js';

const entry = (id: string, status: RoadmapEntry['status'], reason: string): RoadmapEntry => ({
  id,
  skill: 'split-file',
  status,
  branch: status === 'planned' ? '' : `swarm/r1/${id}`,
  reason,
  run: 'r1#1',
});

describe('roadmap.md', () => {
  it('round-trips its entries, keeps text people wrote around its block, and lets a later run move an entry', () => {
    const human = '# Roadmap\n\nOur own notes | with a pipe.\n';
    const first = renderRoadmap(human, [
      entry('split-file:src/a.ts', 'done', 'split into 3 modules'),
      entry('lazy-load:src/b.ts#x', 'dropped', 'test: 2 test(s) | failed'),
      entry('simplify:src/c.ts#f', 'planned', 'waiting: needs a model'),
    ]);
    expect(first.startsWith(human.trimEnd())).toBe(true);
    expect(first).toMatch(/## Done[\s\S]*split-file:src\/a\.ts[\s\S]*## Dropped/);
    const parsed = parseRoadmap(first);
    expect(parsed).toHaveLength(3);
    expect(parsed.find((e) => e.id.startsWith('lazy-load'))).toMatchObject({
      status: 'dropped',
      reason: 'test: 2 test(s) | failed',
      branch: 'swarm/r1/lazy-load:src/b.ts#x',
    });
    const second = renderRoadmap(first, [
      { ...entry('simplify:src/c.ts#f', 'in progress', 'kept'), run: 'r2#1' },
    ]);
    const again = parseRoadmap(second);
    expect(again).toHaveLength(3);
    expect(again.find((e) => e.id.startsWith('simplify'))).toMatchObject({
      status: 'in progress',
      run: 'r2#1',
    });
    expect(second.match(/swarm:roadmap:start/g)).toHaveLength(1);
  });
});

describe('improvements.md', () => {
  it('puts each run on top with the measured effect of each change and keeps earlier runs', () => {
    const change = {
      candidateId: 'split-file:src/a.ts',
      title: 'Split src/a.ts',
      branch: 'swarm/r1/a',
      commit: '0123456789abcdef',
      diff: { files: 4, added: 900, removed: 880 },
      effect: { largestBefore: 905, largestAfter: 310, testMsBefore: 1200, testMsAfter: 1100 },
    };
    const first = renderImprovements(undefined, {
      runId: 'r1',
      date: '2026-11-26',
      target: 'main',
      merged: [change],
      noTests: false,
    });
    expect(first).toMatch(/905 → 310/);
    expect(first).toMatch(/\+900 −880 in 4 file/);
    const second = renderImprovements(first, {
      runId: 'r2',
      date: '2026-11-27',
      target: 'main',
      merged: [],
      noTests: true,
    });
    expect(second.indexOf('run r2')).toBeLessThan(second.indexOf('run r1'));
    expect(second).toMatch(/--no-tests/);
    expect(second.match(/Each change `swarm improve` merged/g)).toHaveLength(1);
  });
});
