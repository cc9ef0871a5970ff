import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureChunks, postJson, readSse, shapeOf } from '../../test/support/wire-kit.js';
import { type SimServer, startSim } from './server.js';

// biome-ignore lint/suspicious/noExplicitAny: wire JSON is probed field by field; the assertions are the type check.
type Chunk = Record<string, any>;

const fixture = (name: string) => fixtureChunks(name) as Chunk[];

const weatherTool = {
  type: 'function',
  function: { name: 'weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } },
};

let sim: SimServer;
beforeAll(async () => {
  sim = await startSim({
    scenario: {
      name: 'chat-test',
      models: ['sim-model', 'other-model'],
      defaults: { chunkSize: 4 },
      rules: [
        { name: 'after-tool', match: { lastToolResult: 'sunny' }, reply: { content: 'It is sunny.' } },
        {
          name: 'weather',
          match: { hasTool: 'weather', lastUser: 'weather' },
          reply: { toolCalls: [{ id: 'call_1', name: 'weather', arguments: { location: 'San Francisco' } }] },
        },
        {
          name: 'broken-args',
          match: { hasTool: 'weather', lastUser: 'broken' },
          reply: { toolCalls: [{ name: 'weather', arguments: '{"location": "San Fr' }] },
        },
        { name: 'echo', match: { noTools: true }, reply: { content: 'You said: {{lastUser}}' } },
      ],
    },
  });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const chat = (body: Record<string, unknown>, init?: RequestInit) =>
  postJson(`${sim.baseURL}/chat/completions`, { model: 'sim-model', ...body }, init);
const user = (content: string) => [{ role: 'user', content }];

async function streamChunks(body: Record<string, unknown>) {
  const res = await chat({ ...body, stream: true });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(res.headers.get('cache-control')).toBe('no-cache');
  const sse = await readSse(res);
  expect(sse.error).toBeUndefined();
  expect(sse.done).toBe(true);
  return sse.payloads.map((p) => JSON.parse(p) as Chunk);
}

/** role | content | tool-start | tool-args | finish | usage, from the chunk's structure alone. */
function kindOf(chunk: Chunk): string {
  const choice = chunk.choices[0];
  if (choice === undefined) return 'usage';
  if (choice.finish_reason) return 'finish';
  const call = choice.delta.tool_calls?.[0];
  if (call) return call.function?.name === undefined ? 'tool-args' : 'tool-start';
  return choice.delta.role ? 'role' : 'content';
}
const collapse = (kinds: string[]) => kinds.filter((k, i) => k !== kinds[i - 1]);
const pick = (o: Chunk, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));

describe('POST /v1/chat/completions', () => {
  it('answers a plain request with a chat.completion object', async () => {
    const res = await chat({ messages: [{ role: 'system', content: 'be brief' }, ...user('hello there')] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Chunk;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'sim-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'You said: hello there', tool_calls: [] },
          finish_reason: 'stop',
        },
      ],
    });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(typeof body.created).toBe('number');
    const { prompt_tokens, completion_tokens, total_tokens } = body.usage;
    expect(prompt_tokens).toBeGreaterThan(0);
    expect(completion_tokens).toBe(Math.ceil('You said: hello there'.length / 4));
    expect(total_tokens).toBe(prompt_tokens + completion_tokens);
    expect(sim.requests().map((r) => r.rule)).toEqual(['echo']);
  });

  it('streams content in chunkSize pieces with the shapes OpenAI sends', async () => {
    const chunks = await streamChunks({ messages: user('abcdefgh') });
    expect(chunks.map(kindOf)).toEqual(['role', ...Array(5).fill('content'), 'finish']);
    expect(chunks.slice(1, -1).map((c) => c.choices[0].delta.content)).toEqual([
      'You ',
      'said',
      ': ab',
      'cdef',
      'gh',
    ]);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    // Without include_usage, OpenAI sends no usage field at all.
    for (const c of chunks) expect(c).not.toHaveProperty('usage');
    const real = fixture('openai-text.chunks.txt');
    const core = ['id', 'object', 'created', 'model'];
    expect(shapeOf(pick(chunks[1]!, core))).toEqual(shapeOf(pick(real[1]!, core)));
    expect(shapeOf(chunks[1]!.choices[0])).toEqual(shapeOf(real[1]!.choices[0]));
    expect(chunks.at(-1)!.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
  });

  it('adds usage: null to content chunks and a final usage chunk with include_usage', async () => {
    const chunks = await streamChunks({ messages: user('hi'), stream_options: { include_usage: true } });
    const real = fixture('openai-text.chunks.txt');
    const usageChunk = chunks.at(-1)!;
    expect(kindOf(usageChunk)).toBe('usage');
    expect(usageChunk.choices).toEqual([]);
    for (const c of chunks.slice(0, -1)) expect(c.usage).toBeNull();
    expect(shapeOf(pick(usageChunk, ['id', 'object', 'created', 'model', 'choices']))).toEqual(
      shapeOf(pick(real.at(-1)!, ['id', 'object', 'created', 'model', 'choices'])),
    );
    const realUsage = real.at(-1)!.usage as Chunk;
    for (const key of ['prompt_tokens', 'completion_tokens', 'total_tokens']) {
      expect(typeof usageChunk.usage[key]).toBe(typeof realUsage[key]);
    }
    expect(usageChunk.usage.prompt_tokens_details).toEqual({ cached_tokens: expect.any(Number) });
    expect(usageChunk.usage.completion_tokens).toBe(Math.ceil('You said: hi'.length / 4));
  });

  it('streams a tool call with the structure of the real DeepSeek and xAI recordings', async () => {
    const chunks = await streamChunks({
      messages: user("what's the weather in SF?"),
      tools: [weatherTool],
      stream_options: { include_usage: true },
    });
    const deepseek = fixture('deepseek-tool-call.chunks.txt');
    const xai = fixture('xai-tool-call.chunks.txt');
    expect(collapse(chunks.map(kindOf))).toEqual(['role', 'tool-start', 'tool-args', 'finish', 'usage']);
    expect(collapse(deepseek.map(kindOf).filter((k) => k !== 'content'))).toEqual([
      'role',
      'tool-start',
      'tool-args',
      'finish',
    ]);
    const first = (list: Chunk[], kind: string) => list.find((c) => kindOf(c) === kind)!;
    for (const kind of ['tool-start', 'tool-args']) {
      const ours = first(chunks, kind);
      const real = first(deepseek, kind);
      expect(shapeOf(ours.choices[0].delta)).toEqual(shapeOf(real.choices[0].delta));
      expect(shapeOf(ours.choices[0])).toEqual(shapeOf(real.choices[0]));
      for (const key of Object.keys(ours)) expect(shapeOf(ours[key])).toEqual(shapeOf(real[key]));
    }
    const start = first(chunks, 'tool-start').choices[0].delta.tool_calls[0];
    expect(start).toEqual({
      index: 0,
      id: 'call_1',
      type: 'function',
      function: { name: 'weather', arguments: '' },
    });
    expect(Object.keys(start).sort()).toEqual(
      Object.keys(first(xai, 'tool-start').choices[0].delta.tool_calls[0]).sort(),
    );
    const args = chunks.filter((c) => kindOf(c) === 'tool-args');
    expect(args.length).toBeGreaterThan(1);
    expect(args.map((c) => c.choices[0].delta.tool_calls[0].function.arguments).join('')).toBe(
      JSON.stringify({ location: 'San Francisco' }),
    );
    const finish = first(chunks, 'finish').choices[0];
    expect(finish.finish_reason).toBe(first(xai, 'finish').choices[0].finish_reason);
    expect(finish.delta).toEqual(first(xai, 'finish').choices[0].delta);
    const realUsage = first(xai, 'usage');
    expect(chunks.at(-1)!.choices).toEqual(realUsage.choices);
    expect(Object.keys(chunks.at(-1)!.usage)).toEqual(
      expect.arrayContaining(['prompt_tokens', 'completion_tokens', 'total_tokens']),
    );
  });

  it('answers a tool call without streaming and then reacts to the tool result', async () => {
    const res = await chat({ messages: user('weather please'), tools: [weatherTool] });
    const body = (await res.json()) as Chunk;
    const message = body.choices[0].message;
    expect(body.choices[0].finish_reason).toBe('tool_calls');
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'weather', arguments: '{"location":"San Francisco"}' },
      },
    ]);
    const next = await chat({
      tools: [weatherTool],
      messages: [
        ...user('weather please'),
        { role: 'assistant', content: null, tool_calls: message.tool_calls },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny, 21C' },
      ],
    });
    expect(((await next.json()) as Chunk).choices[0].message.content).toBe('It is sunny.');
  });

  it('sends malformed tool-call arguments verbatim', async () => {
    const chunks = await streamChunks({ messages: user('broken please'), tools: [weatherTool] });
    const args = chunks.filter((c) => kindOf(c) === 'tool-args');
    expect(args.map((c) => c.choices[0].delta.tool_calls[0].function.arguments).join('')).toBe(
      '{"location": "San Fr',
    );
    expect(chunks.find((c) => kindOf(c) === 'tool-start')!.choices[0].delta.tool_calls[0].id).toMatch(
      /^call_/,
    );
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const body = (await (await chat({ messages: user('x'.repeat(200)), max_tokens: 3 })).json()) as Chunk;
    expect(body.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'You said: xx' } });
  });

  it('rejects a bad body with a 400 in OpenAI error shape', async () => {
    const res = await chat({ messages: [{ role: 'wizard', content: 'hi' }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Chunk;
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toEqual({
      message: expect.stringContaining('messages[0].role'),
      type: 'invalid_request_error',
      param: 'messages[0].role',
      code: null,
    });
    const notJson = await fetch(`${sim.baseURL}/chat/completions`, { method: 'POST', body: '{"model":' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as Chunk).error.message).toMatch(/JSON/);
    const empty = await chat({ messages: [] });
    expect(((await empty.json()) as Chunk).error.param).toBe('messages');
  });

  it('answers an unknown model with a 404 in OpenAI error shape', async () => {
    const res = await chat({ model: 'gpt-9', messages: user('hi') });
    expect(res.status).toBe(404);
    expect(((await res.json()) as Chunk).error).toMatchObject({
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
      message: expect.stringContaining('gpt-9'),
    });
  });
});

describe('API key', () => {
  it('refuses requests without the right bearer token and keeps the key out of the log', async () => {
    const locked = await startSim({ scenario: {}, apiKey: 'sk-test' });
    try {
      const url = `${locked.baseURL}/chat/completions`;
      const body = { model: 'sim-model', messages: user('hi') };
      for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
        const res = await postJson(url, body, { headers });
        expect(res.status).toBe(401);
        expect(((await res.json()) as Chunk).error).toMatchObject({ code: 'invalid_api_key' });
      }
      expect((await postJson(url, body, { headers: { authorization: 'Bearer sk-test' } })).status).toBe(200);
      expect((await fetch(`${locked.url}/health`)).status).toBe(200);
      expect(locked.requests()).toHaveLength(4);
      expect(JSON.stringify(locked.requests())).not.toContain('sk-test');
    } finally {
      await locked.close();
    }
  });
});
