import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayRequestEvent, GatewayServer } from '../../src/gateway/index.js';
import { startGateway } from '../../src/gateway/index.js';
import { type SimServer, startSim } from '../../src/sim/index.js';
import { fixtureChunks, parsePrometheus, postJson, readSse, sampleValue } from '../support/wire-kit.js';

/** The last chat request a simulator received (probes are GETs and are skipped). */
const lastChat = (server: SimServer) =>
  server
    .requests()
    .filter((r) => r.path === '/v1/chat/completions')
    .at(-1);

/*
 * The official openai client, given only baseURL and apiKey, against the
 * gateway in front of two simulators and a replayer of real recorded
 * streams: the gateway must be indistinguishable from an OpenAI server.
 */

const WEATHER_CALL = { id: 'call_weather_1', name: 'weather', arguments: { location: 'Paris', unit: 'C' } };

let simA: SimServer;
let simB: SimServer;
let replayer: Server;
let replayURL: string;
let gateway: GatewayServer;
let client: OpenAI;
const events: GatewayRequestEvent[] = [];

beforeAll(async () => {
  const scenario = (who: string) => ({
    models: ['qwen-7b', 'nomic-embed'],
    defaults: { chunkSize: 4 },
    rules: [
      { match: { hasTool: 'weather' }, reply: { content: '', toolCalls: [WEATHER_CALL] } },
      { reply: { content: `${who} says: {{lastUser}}` } },
    ],
  });
  simA = await startSim({ scenario: scenario('A') });
  simB = await startSim({ scenario: { ...scenario('B'), models: ['llama-8b-instruct'] } });
  // Replays the recorded stream named by the last user message (DeepSeek's by default).
  replayer = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'recorded', object: 'model' }] }));
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString()) as { messages: { content: string }[] };
      const named = body.messages.at(-1)?.content ?? '';
      const fixture = named.endsWith('.chunks.txt') ? named : 'deepseek-tool-call.chunks.txt';
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const chunk of fixtureChunks(fixture)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => replayer.listen(0, '127.0.0.1', resolve));
  replayURL = `http://127.0.0.1:${(replayer.address() as AddressInfo).port}/v1`;
  gateway = await startGateway({
    config: {
      listen: { port: 0 },
      health: { probeIntervalMs: 60_000 },
      limits: { maxBodyBytes: 256 * 1024 },
      backends: [
        { name: 'gpu-a', url: simA.baseURL, type: 'vllm', models: ['qwen-7b', 'nomic-embed'] },
        // The alias clients use differs from the id this server knows the model by.
        { name: 'gpu-b', url: simB.baseURL, type: 'vllm', models: { 'llama-8b': 'llama-8b-instruct' } },
        { name: 'replay', url: replayURL, models: ['recorded'] },
      ],
    },
  });
  gateway.events.subscribe((e) => events.push(e));
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([simA.close(), simB.close()]);
  await new Promise((resolve) => replayer.close(resolve));
});

const lastEvent = () => events.at(-1) as GatewayRequestEvent;

describe('gateway: the openai client, unchanged', () => {
  it('completes a chat and reports where it went and why', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'qwen-7b', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('A says: hello');
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-swarm-backend')).toMatch(
      /^gpu-a; policy=least-loaded; attempt=1; reason="/,
    );
    expect(response.headers.get('x-swarm-request-id')).toBe(lastEvent().id);
    expect(lastEvent()).toMatchObject({
      backend: 'gpu-a',
      status: 200,
      outcome: 'ok',
      policy: 'least-loaded',
    });
    expect(lastEvent().usage?.completionTokens).toBe(data.usage?.completion_tokens);
  });

  it('streams chunk by chunk and strips the usage chunk it asked for on the client’s behalf', async () => {
    const stream = await client.chat.completions.create({
      model: 'qwen-7b',
      messages: [{ role: 'user', content: 'stream please' }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('A says: stream please');
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    const upstream = lastChat(simA)?.body as { stream_options?: { include_usage?: boolean } };
    expect(upstream.stream_options?.include_usage).toBe(true);
    // The gateway still knows the usage, from the chunk it held back.
    expect(lastEvent().usage?.completionTokens).toBeGreaterThan(0);
    expect(lastEvent().usageEstimated).toBe(false);
    expect(lastEvent().ttftMs).toBeGreaterThanOrEqual(0);
  });

  it('passes the usage chunk through when the client asks for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'qwen-7b',
      messages: [{ role: 'user', content: 'with usage' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(lastEvent().usage?.completionTokens);
  });

  it('passes tool calls through, plain and streamed', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'weather',
          parameters: { type: 'object', properties: { location: { type: 'string' } } },
        },
      },
    ];
    const messages = [{ role: 'user' as const, content: 'weather in Paris?' }];
    const plain = await client.chat.completions.create({ model: 'qwen-7b', messages, tools });
    const call = plain.choices[0]?.message.tool_calls?.[0];
    expect(plain.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.id).toBe(WEATHER_CALL.id);
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual(WEATHER_CALL.arguments);
    const runner = client.chat.completions.stream({ model: 'qwen-7b', messages, tools });
    const final = await runner.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(streamed?.id).toBe(WEATHER_CALL.id);
    expect(streamed?.type === 'function' && JSON.parse(streamed.function.arguments)).toEqual(
      WEATHER_CALL.arguments,
    );
    // What went upstream is what the client sent (plus the usage request).
    const sent = lastChat(simA)?.body as { tools: unknown };
    expect(sent.tools).toEqual(tools);
  });

  it('relays real recorded provider streams byte for byte', async () => {
    for (const fixture of [
      'deepseek-tool-call.chunks.txt',
      'xai-tool-call.chunks.txt',
      'groq-tool-call.chunks.txt',
      'alibaba-tool-call.chunks.txt',
    ]) {
      const res = await postJson(`${gateway.baseURL}/chat/completions`, {
        model: 'recorded',
        messages: [{ role: 'user', content: fixture }],
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(res.status).toBe(200);
      const sse = await readSse(res);
      expect(sse.error).toBeUndefined();
      expect(sse.done).toBe(true);
      const expected = fixtureChunks(fixture).map((c) => JSON.stringify(c));
      expect(sse.payloads).toEqual(expected);
    }
    // The same stream through the openai client assembles the recorded tool call.
    const final = await client.chat.completions
      .stream({
        model: 'recorded',
        messages: [{ role: 'user', content: 'x' }],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    const recorded = fixtureChunks('deepseek-tool-call.chunks.txt');
    const name = recorded
      .flatMap((c) => (c.choices as { delta?: { tool_calls?: { function?: { name?: string } }[] } }[]) ?? [])
      .flatMap((c) => c.delta?.tool_calls ?? [])
      .find((t) => t.function?.name)?.function?.name;
    const assembled = final.choices[0]?.message.tool_calls?.[0];
    expect(assembled?.type === 'function' && assembled.function.name).toBe(name);
    expect(lastEvent().usage?.promptTokens).toBeGreaterThan(0);
  });

  it('serves legacy completions, plain and streamed', async () => {
    const plain = await client.completions.create({ model: 'qwen-7b', prompt: 'complete me' });
    expect(plain.choices[0]?.text).toBe('A says: complete me');
    const stream = await client.completions.create({ model: 'qwen-7b', prompt: 'stream me', stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('A says: stream me');
  });

  it('serves embeddings', async () => {
    const result = await client.embeddings.create({ model: 'nomic-embed', input: ['one', 'two'] });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding.length).toBeGreaterThan(10);
    expect(lastEvent()).toMatchObject({ endpoint: 'embeddings', backend: 'gpu-a', outcome: 'ok' });
  });

  it('lists the union of every backend’s models by alias, and renames the model upstream', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual(['llama-8b', 'nomic-embed', 'qwen-7b', 'recorded']);
    const reply = await client.chat.completions.create({
      model: 'llama-8b',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(reply.choices[0]?.message.content).toBe('B says: hi');
    const sent = lastChat(simB)?.body as { model: string } | undefined;
    expect(sent?.model).toBe('llama-8b-instruct');
  });

  it('reports health and its own Prometheus metrics', async () => {
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as {
      status: string;
      backends: { name: string; state: string }[];
    };
    expect(health.status).toBe('ok');
    expect(health.backends.map((b) => b.state)).toEqual(['healthy', 'healthy', 'healthy']);
    const prom = parsePrometheus(await (await fetch(`${gateway.url}/metrics`)).text());
    const okOnA = events.filter(
      (e) => e.backend === 'gpu-a' && e.outcome === 'ok' && e.model === 'qwen-7b',
    ).length;
    expect(
      sampleValue(prom, 'swarm_gateway_requests_total', {
        model: 'qwen-7b',
        backend: 'gpu-a',
        status: '200',
      }),
    ).toBe(okOnA);
    expect(prom.types.get('swarm_gateway_request_duration_seconds')).toBe('histogram');
    expect(sampleValue(prom, 'swarm_gateway_backend_up', { backend: 'gpu-b' })).toBe(1);
  });
});

describe('gateway: bad requests', () => {
  it('refuses a body that is not JSON, with OpenAI’s error shape', async () => {
    const res = await fetch(`${gateway.baseURL}/chat/completions`, {
      method: 'POST',
      body: '{"model": "qwen-7b", ',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/not parse the JSON/);
  });

  it('names the field that is wrong', async () => {
    const error = await client.chat.completions
      .create({ model: 'qwen-7b', messages: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages');
  });

  it('refuses a body over the size limit with 413', async () => {
    const huge = 'x'.repeat(gateway.config.limits.maxBodyBytes + 1);
    const res = await postJson(`${gateway.baseURL}/chat/completions`, {
      model: 'qwen-7b',
      messages: [{ role: 'user', content: huge }],
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/maxBodyBytes/);
  });

  it('says which models exist when the model is unknown', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-7', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as Error).message).toMatch(/gpt-7.*qwen-7b/s);
    expect(lastEvent()).toMatchObject({ status: 404, outcome: 'rejected' });
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    expect((await fetch(`${gateway.baseURL}/files`)).status).toBe(404);
    const res = await fetch(`${gateway.baseURL}/chat/completions`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});
