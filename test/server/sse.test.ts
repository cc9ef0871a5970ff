import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHarness, startServerHarness, until } from '../support/server-harness.js';
import { readSse } from '../support/server-sse-client.js';
import { delegationAgents, delegationScenario } from './scenarios.js';

let s: ServerHarness;

beforeAll(async () => {
  // each model reply takes 120 ms, so a run's events arrive over about a second
  s = await startServerHarness({ agents: delegationAgents, scenario: delegationScenario(120) });
});
afterAll(async () => {
  await s?.close();
});

interface Received {
  seq: number;
  type: string;
  runId: string;
}

async function collect(
  path: string,
  stop: (events: Received[]) => boolean,
  lastEventId?: string,
): Promise<Received[]> {
  const events: Received[] = [];
  await readSse(`${s.url}${path}`, {
    ...(lastEventId === undefined ? {} : { lastEventId }),
    onEvent(e) {
      const event = JSON.parse(e.data) as Received;
      expect(e.id).toBe(String(event.seq));
      events.push(event);
      return stop(events);
    },
  });
  return events;
}

const storedSeqs = (runId: string) => s.h.runtime.store.events(runId).map((e) => e.seq);

describe('events over SSE', () => {
  it('resumes a run stream after a disconnect with Last-Event-ID: nothing lost, nothing repeated', async () => {
    const { body } = await s.api('/api/runs', { method: 'POST', json: { agent: 'lead', task: 'sse task' } });
    const runId = body.runId as string;
    const first = await collect(`/api/runs/${runId}/events/stream`, (events) => events.length >= 3);
    expect(first[0]!.type).toBe('run.started');
    await until(() => s.server.deps.feed.clientCount === 0, 'the server to notice the disconnect');
    const lastSeen = first.at(-1)!.seq;
    // the run goes on while nobody listens
    await until(() => storedSeqs(runId).filter((seq) => seq > lastSeen).length >= 3, 'events while away');
    const rest = await collect(
      `/api/runs/${runId}/events/stream`,
      (events) => events.at(-1)?.type === 'run.finished',
      String(lastSeen),
    );
    const seqs = [...first, ...rest].map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(storedSeqs(runId));
    expect(rest.every((e) => e.runId === runId)).toBe(true);
  });

  it('resumes the all-runs stream the same way, and accepts the id as a query parameter', async () => {
    const events: Received[] = [];
    let runId = '';
    const started = (async () => {
      await until(() => s.server.deps.feed.clientCount === 1, 'the client to join');
      const { body } = await s.api('/api/runs', {
        method: 'POST',
        json: { agent: 'lead', task: 'all-runs task' },
      });
      runId = body.runId;
    })();
    events.push(
      ...(await collect('/api/events/stream', (got) => got.filter((e) => e.runId === runId).length >= 4)),
    );
    await started;
    const lastSeen = events.at(-1)!.seq;
    await until(() => storedSeqs(runId).some((seq) => seq > lastSeen + 2), 'events while away');
    events.push(
      ...(await collect(`/api/events/stream?lastEventId=${lastSeen}`, (got) =>
        got.some((e) => e.runId === runId && e.type === 'run.finished'),
      )),
    );
    const mine = events.filter((e) => e.runId === runId).map((e) => e.seq);
    expect(new Set(mine).size).toBe(mine.length);
    expect(mine).toEqual(storedSeqs(runId));
    const all = events.map((e) => e.seq);
    expect([...all].sort((a, b) => a - b)).toEqual(all);
  });

  it('refuses a Last-Event-ID that is not an event id', async () => {
    const res = await fetch(`${s.url}/api/events/stream`, { headers: { 'last-event-id': 'abc' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/Last-Event-ID: "abc"/);
  });

  it('pages stored events as JSON', async () => {
    const { body } = await s.api('/api/runs?limit=1');
    const runId = body.runs[0].id as string;
    const all = storedSeqs(runId);
    const page = await s.api(`/api/runs/${runId}/events?after=${all[1]}&limit=2`);
    expect(page.body.events.map((e: Received) => e.seq)).toEqual(all.slice(2, 4));
    expect(page.body.lastSeq).toBe(all[3]);
  });
});
