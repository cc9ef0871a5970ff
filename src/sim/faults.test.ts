import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePrometheus, postJson, readSse, sampleValue } from '../../test/support/wire-kit.js';
import type { RecordedRequest } from './request-log.js';
import { type SimServer, startSim } from './server.js';

let sim: SimServer;
beforeAll(async () => {
  sim = await startSim({
    scenario: {
      name: 'faults',
      maxConcurrency: 1,
      defaults: { chunkSize: 2 },
      rules: [
        { match: { lastUser: 'rate' }, fault: { type: 'http', status: 429, retryAfter: 1 } },
        { match: { lastUser: 'crash' }, fault: { type: 'http', status: 500 } },
        {
          match: { lastUser: 'cut' },
          reply: { content: 'abcdefgh' },
          fault: { type: 'cut', afterChunks: 3 },
        },
        {
          match: { lastUser: 'stall' },
          reply: { content: 'abcdefgh' },
          fault: { type: 'stall', afterChunks: 2 },
        },
        { match: { lastUser: 'slow' }, reply: { content: 'ok' }, fault: { type: 'stall', stallMs: 150 } },
        {
          match: { lastUser: 'garble' },
          reply: { content: 'abcd' },
          fault: { type: 'malformed', afterChunks: 1 },
        },
        { name: 'third', match: { request: 3 }, reply: { content: 'third' } },
        { name: 'once', match: { lastUser: 'seq' }, times: 1, reply: { content: 'first' } },
        { name: 'later', match: { lastUser: 'seq' }, reply: { content: 'later' } },
      ],
    },
  });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const chat = (text: string, extra: Record<string, unknown> = {}, init?: RequestInit) =>
  postJson(
    `${sim.baseURL}/chat/completions`,
    { model: 'sim-model', messages: [{ role: 'user', content: text }], ...extra },
    init,
  );

async function running() {
  const prom = parsePrometheus(await (await fetch(`${sim.url}/metrics`)).text());
  return sampleValue(prom, 'vllm:num_requests_running', { model_name: 'sim-model' });
}

describe('faults', () => {
  it('answers 429 with a Retry-After header and an OpenAI rate-limit error', async () => {
    const res = await chat('rate me');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({
      error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
  });

  it('answers 500 with a server_error', async () => {
    const res = await chat('crash', { stream: true });
    expect(res.status).toBe(500);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('server_error');
  });

  it('cuts a stream after N chunks without [DONE]', async () => {
    const sse = await readSse(await chat('cut', { stream: true }));
    expect(sse.payloads).toHaveLength(3);
    expect(sse.done).toBe(false);
    expect(sse.error).toBeDefined();
    expect(await running()).toBe(0);
  });

  it('cuts a plain response in the middle of its body', async () => {
    const res = await chat('cut');
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('stalls a stream until the client gives up, then frees the slot', async () => {
    const controller = new AbortController();
    const res = await chat('stall', { stream: true }, { signal: controller.signal });
    const started = Date.now();
    const sse = await readSse(res, (count) => {
      if (count === 2) setTimeout(() => controller.abort(), 100);
    });
    expect(sse.payloads).toHaveLength(2);
    expect(sse.done).toBe(false);
    expect((sse.error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    // The server notices the hang-up and the next request is not stuck behind maxConcurrency: 1.
    await expect.poll(running, { timeout: 2000 }).toBe(0);
    const next = (await (await chat('seq')).json()) as { choices: { message: { content: string } }[] };
    expect(next.choices[0]?.message.content).toBe('first');
  });

  it('delays a plain response by stallMs and then answers', async () => {
    const started = Date.now();
    const res = await chat('slow');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('inserts a malformed SSE event after N chunks', async () => {
    const res = await chat('garble', { stream: true });
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const bad = events.filter((e) => {
      try {
        JSON.parse(e.slice('data: '.length));
        return false;
      } catch {
        return e !== 'data: [DONE]';
      }
    });
    expect(bad).toHaveLength(1);
    expect(events.indexOf(bad[0] ?? '')).toBe(1);
  });
});

describe('sequencing and the request log', () => {
  it('applies `request: N` and `times`, and records which rule matched', async () => {
    const contents: string[] = [];
    for (let i = 0; i < 4; i++) {
      const body = (await (await chat('seq')).json()) as { choices: { message: { content: string } }[] };
      contents.push(body.choices[0]?.message.content ?? '');
    }
    expect(contents).toEqual(['first', 'later', 'third', 'later']);
    expect(sim.requests().map((r) => r.rule)).toEqual(['once', 'later', 'third', 'later']);
  });

  it('serves the log over HTTP without credentials and clears it with DELETE', async () => {
    await chat('seq', {}, { headers: { authorization: 'Bearer secret-value', 'x-trace': 't1' } });
    await fetch(`${sim.url}/health`);
    const log = (await (await fetch(`${sim.url}/sim/requests`)).json()) as RecordedRequest[];
    expect(log.map((r) => [r.method, r.path, r.rule])).toEqual([
      ['POST', '/v1/chat/completions', 'once'],
      ['GET', '/health', null],
    ]);
    expect(log[0]?.body).toMatchObject({ model: 'sim-model', messages: [{ role: 'user', content: 'seq' }] });
    expect(log[0]?.headers['x-trace']).toBe('t1');
    expect(log[0]?.headers).not.toHaveProperty('authorization');
    expect(Date.parse(log[0]?.time ?? '')).not.toBeNaN();
    expect((await fetch(`${sim.url}/sim/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(await (await fetch(`${sim.url}/sim/requests`)).json()).toEqual([]);
    // Numbering and `times` start over too.
    await chat('seq');
    expect(sim.requests().map((r) => r.rule)).toEqual(['once']);
  });
});

describe('close', () => {
  it('ends open stalls promptly', async () => {
    const own = await startSim({ scenario: { rules: [{ fault: { type: 'stall', afterChunks: 1 } }] } });
    const res = await postJson(`${own.baseURL}/chat/completions`, {
      model: 'sim-model',
      messages: [{ role: 'user', content: 'hang' }],
      stream: true,
    });
    const reading = readSse(res);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await own.close();
    const sse = await reading;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(sse.payloads).toHaveLength(1);
    expect(sse.done).toBe(false);
    await expect(fetch(`${own.url}/health`)).rejects.toThrow();
  });
});
