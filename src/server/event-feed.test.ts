import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '../core/events.js';
import { RunStore, SecretRedactor } from '../observe/index.js';
import { EventFeed, type FeedClient } from './event-feed.js';
import { StoreReader } from './store-reader.js';

let dir: string;
let store: RunStore;
let reader: StoreReader;
let feed: EventFeed;

const step = (runId: string, i: number): AnyEvent => ({
  type: 'agent.step',
  runId,
  nodeId: `node_${runId}`,
  agent: 'a',
  depth: 0,
  ts: 1,
  data: { step: i, finishReason: 'stop', toolCalls: 0, text: `t${i}` },
});

/** A client that keeps the seqs it was sent, or refuses after `capacity` chunks. */
function client(runId: string | undefined, capacity = Number.POSITIVE_INFINITY) {
  const seqs: number[] = [];
  let chunks = 0;
  const state = { closed: false, seqs };
  const c: FeedClient = {
    runId,
    send(chunk) {
      if (++chunks > capacity) return false;
      for (const m of new TextDecoder().decode(chunk).matchAll(/^id: (\d+)$/gm)) seqs.push(Number(m[1]));
      return true;
    },
    close() {
      state.closed = true;
    },
  };
  return { c, state };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-feed-'));
  store = new RunStore(join(dir, 'swarm.db'));
  store.flush();
  reader = new StoreReader(store.file);
  feed = new EventFeed(reader, () => store.flush(), new SecretRedactor(), 60_000);
});
afterEach(() => {
  feed.close();
  reader.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('EventFeed', () => {
  it('catches a joining client up from its last id, then feeds it, with no gap and no repeat', () => {
    for (let i = 0; i < 5; i++) store.record(step('run_a', i));
    store.flush();
    const first = reader.runEventsAfter('run_a', 0, 100).map((e) => e.seq);
    const { c, state } = client('run_a');
    feed.join(c, first[1]);
    for (let i = 5; i < 8; i++) store.record(step('run_a', i));
    store.record(step('run_b', 0));
    feed.pump();
    const all = reader.runEventsAfter('run_a', 0, 100).map((e) => e.seq);
    expect(state.seqs).toEqual(all.slice(2));
  });

  it('gives the all-runs feed only new events unless asked for older ones', () => {
    store.record(step('run_a', 0));
    store.flush();
    const { c, state } = client(undefined);
    feed.join(c, undefined);
    store.record(step('run_b', 0));
    feed.pump();
    expect(state.seqs).toEqual([reader.maxSeq()]);
  });

  it('drops a client that cannot keep up, and leaves the others fed', () => {
    const slow = client(undefined, 1);
    const fast = client(undefined);
    feed.join(slow.c, undefined);
    feed.join(fast.c, undefined);
    store.record(step('run_a', 0));
    feed.pump();
    store.record(step('run_a', 1));
    feed.pump();
    expect(slow.state.closed).toBe(true);
    expect(feed.clientCount).toBe(1);
    expect(fast.state.seqs).toHaveLength(2);
  });
});
