import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayRequestEvent,
  type GatewayServer,
  newApiKey,
  startGateway,
} from '../../src/gateway/index.js';
import { type ScenarioInput, type SimServer, startSim } from '../../src/sim/index.js';

/*
 * A cloud provider as a gateway backend: the OpenAI request is turned into a
 * model-layer call to Anthropic's AI SDK provider, which talks the Messages
 * API to the simulator; the answer comes back in OpenAI's format. The
 * official openai client must not be able to tell.
 */

const ANTHROPIC_KEY = 'sk-ant-sim';
const PRICE = { input: 3, output: 15 };
const WEATHER = {
  type: 'function' as const,
  function: {
    name: 'weather',
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

const scenario = (model: string): ScenarioInput => ({
  models: [model],
  defaults: { chunkSize: 3 },
  rules: [
    { match: { lastToolResult: '.' }, reply: { content: 'It is {{lastToolResult}}.' } },
    {
      match: { hasTool: 'weather' },
      reply: {
        content: 'Checking.',
        toolCalls: [{ id: 'toolu_1', name: 'weather', arguments: { city: 'Paris' } }],
      },
    },
    {
      match: { lastUser: 'cut me' },
      reply: { content: 'x'.repeat(60) },
      fault: { type: 'cut', afterChunks: 6 },
    },
    { match: { lastUser: 'busy' }, fault: { type: 'http', status: 429, retryAfter: 120 } },
    { match: { lastUser: 'slow' }, reply: { content: 'local and slow', latencyMs: 400 } },
    { match: { system: 'pirate' }, reply: { content: 'Arr: {{lastUser}}' } },
    { reply: { content: `${model} says {{lastUser}}` } },
  ],
});

let local: SimServer;
let cloud: SimServer;
let gateway: GatewayServer;
const events: GatewayRequestEvent[] = [];
let client: OpenAI;

beforeAll(async () => {
  [local, cloud] = await Promise.all([
    startSim({ scenario: scenario('qwen-local') }),
    startSim({ apiKey: ANTHROPIC_KEY, scenario: scenario('claude-sonnet-4-5') }),
  ]);
  gateway = await startGateway({
    env: { SIM_ANTHROPIC_KEY: ANTHROPIC_KEY },
    config: {
      listen: { port: 0 },
      health: { probeIntervalMs: 60_000 },
      backends: [
        { name: 'local', url: local.baseURL, models: { smart: 'qwen-local' }, maxConcurrency: 1 },
        {
          name: 'claude',
          type: 'provider',
          provider: 'anthropic',
          url: cloud.baseURL,
          apiKeyEnv: 'SIM_ANTHROPIC_KEY',
          models: { smart: 'claude-sonnet-4-5', claude: 'claude-sonnet-4-5' },
          price: PRICE,
        },
      ],
      routing: { models: { smart: { policy: 'least-loaded', spillover: { loadThreshold: 0.5 } } } },
    },
  });
  gateway.events.subscribe((e) => events.push(e));
  client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all([local?.close(), cloud?.close()]);
});

const lastMessages = () =>
  cloud
    .requests()
    .filter((r) => r.path === '/v1/messages')
    .at(-1)?.body as Record<string, unknown> & { messages: { role: string; content: unknown }[] };

describe('a cloud provider backend through the model layer', () => {
  it('answers a plain request as an OpenAI chat completion, priced from the table', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'claude',
        max_tokens: 50,
        temperature: 0.2,
        messages: [
          { role: 'system', content: 'You are a pirate.' },
          { role: 'user', content: 'hello' },
        ],
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Arr: hello' });
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.completion_tokens).toBe(3);
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-swarm-backend')).toMatch(/^claude; /);
    // What reached Anthropic's API: the system prompt apart, the limit and temperature carried over.
    const sent = lastMessages();
    expect(sent).toMatchObject({ model: 'claude-sonnet-4-5', max_tokens: 50, temperature: 0.2 });
    expect(JSON.stringify(sent.system)).toContain('pirate');
    const event = events.at(-1);
    const usage = data.usage as { prompt_tokens: number; completion_tokens: number };
    expect(event).toMatchObject({ backend: 'claude', outcome: 'ok', status: 200 });
    expect(event?.costUsd).toBeCloseTo((usage.prompt_tokens * 3 + usage.completion_tokens * 15) / 1e6, 12);
  });

  it('streams chunk by chunk with the usage chunk the client asked for', async () => {
    const stream = await client.chat.completions.create({
      model: 'claude',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'tell me' }],
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('claude-sonnet-4-5 says tell me');
    expect(chunks).toBeGreaterThan(5);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(Math.ceil(text.length / 4));
    expect(events.at(-1)).toMatchObject({ backend: 'claude', stream: true, outcome: 'ok' });
    expect(events.at(-1)?.usage?.completionTokens).toBe(usage?.completion_tokens);
    expect(lastMessages()?.stream).toBe(true);
  });

  it('passes tool calls both ways, plain and streamed', async () => {
    const ask: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'weather in Paris?' }];
    const plain = await client.chat.completions.create({ model: 'claude', messages: ask, tools: [WEATHER] });
    const call = plain.choices[0]?.message.tool_calls?.[0];
    expect(plain.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ id: 'toolu_1', type: 'function', function: { name: 'weather' } });
    expect(JSON.parse((call as { function: { arguments: string } }).function.arguments)).toEqual({
      city: 'Paris',
    });
    expect(lastMessages()?.tools).toEqual([
      expect.objectContaining({ name: 'weather', input_schema: expect.objectContaining({ type: 'object' }) }),
    ]);

    const stream = await client.chat.completions.create({
      model: 'claude',
      messages: ask,
      tools: [WEATHER],
      tool_choice: 'required',
      stream: true,
    });
    let args = '';
    let name: string | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.tool_calls?.[0];
      name ??= delta?.function?.name;
      args += delta?.function?.arguments ?? '';
      finish ??= chunk.choices[0]?.finish_reason;
    }
    expect({ name, args: JSON.parse(args), finish }).toEqual({
      name: 'weather',
      args: { city: 'Paris' },
      finish: 'tool_calls',
    });
    expect(lastMessages()?.tool_choice).toEqual({ type: 'any' });

    const answer = await client.chat.completions.create({
      model: 'claude',
      tools: [WEATHER],
      messages: [
        ...ask,
        plain.choices[0]?.message as OpenAI.ChatCompletionMessageParam,
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe('It is sunny.');
    const turns = lastMessages().messages;
    expect(JSON.stringify(turns.at(-1))).toContain('"type":"tool_result","tool_use_id":"toolu_1"');
    expect(JSON.stringify(turns.at(-2))).toContain('"type":"tool_use","id":"toolu_1"');
  });

  it('refuses what the provider cannot take with a clear 400', async () => {
    const error = await client.completions.create({ model: 'claude', prompt: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toMatch(/chat\/completions only/);
    const many = await client.chat.completions
      .create({ model: 'claude', n: 2, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect((many as Error).message).toMatch(/one choice/);
  });

  it('ends a stream the provider cut off with a clean error event, and books what was seen', async () => {
    const stream = await client.chat.completions.create({
      model: 'claude',
      stream: true,
      messages: [{ role: 'user', content: 'cut me' }],
    });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/incomplete/);
    expect(text.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ backend: 'claude', outcome: 'interrupted', usageEstimated: true });
    expect(events.at(-1)?.costUsd).toBeGreaterThan(0);
  });

  it('spills over from the busy local server to the cloud, and reports what the local one saved', async () => {
    const from = events.length;
    await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'calm' }] });
    // The local server holds one request at a time: while it is busy the next ones overflow.
    await Promise.all(
      ['slow 1', 'slow 2', 'slow 3'].map((content) =>
        client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content }] }),
      ),
    );
    const smart = events.slice(from);
    expect(smart[0]).toMatchObject({ backend: 'local', costUsd: 0 });
    expect(smart[0]?.savedUsd).toBeGreaterThan(0);
    const spilled = smart.filter((e) => e.backend === 'claude');
    expect(smart.filter((e) => e.backend === 'local')).toHaveLength(2);
    expect(spilled).toHaveLength(2);
    expect(spilled.every((e) => /spill-over to tier 2/.test(e.reason ?? '') && e.costUsd > 0)).toBe(true);
  });

  it('spills over to the cloud when the local server is down', async () => {
    const gone = await startSim({ scenario: scenario('qwen-local') });
    const deadUrl = gone.baseURL;
    await gone.close();
    const gw = await startGateway({
      env: { SIM_ANTHROPIC_KEY: ANTHROPIC_KEY },
      config: {
        listen: { port: 0 },
        health: { probeIntervalMs: 60_000 },
        backends: [
          { name: 'local', url: deadUrl, models: { smart: 'qwen-local' }, maxConcurrency: 4 },
          {
            name: 'claude',
            type: 'provider',
            provider: 'anthropic',
            url: cloud.baseURL,
            apiKeyEnv: 'SIM_ANTHROPIC_KEY',
            models: { smart: 'claude-sonnet-4-5' },
            price: PRICE,
          },
        ],
        routing: { default: { spillover: { loadThreshold: 0.8 } } },
      },
    });
    try {
      const seen: GatewayRequestEvent[] = [];
      gw.events.subscribe((e) => seen.push(e));
      const c = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
      for (const content of ['one', 'two']) {
        const reply = await c.chat.completions.create({
          model: 'smart',
          messages: [{ role: 'user', content }],
        });
        expect(reply.choices[0]?.message.content).toBe(`claude-sonnet-4-5 says ${content}`);
      }
      expect(seen.map((e) => e.backend)).toEqual(['claude', 'claude']);
      expect(seen.at(-1)?.reason).toMatch(/spill-over to tier 2/);
      expect(gw.backends().find((b) => b.name === 'local')?.state).toBe('down');
    } finally {
      await gw.close();
    }
  });

  it("passes a provider's 429 on with its retry-after when it is longer than the gateway waits", async () => {
    const error = await client.chat.completions
      .create({ model: 'claude', messages: [{ role: 'user', content: 'busy' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(
      Number((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')),
    ).toBeGreaterThan(100);
    expect(events.at(-1)?.attempts[0]).toMatchObject({
      backend: 'claude',
      outcome: 'rate-limited',
      status: 429,
    });
    expect(gateway.backends().find((b) => b.name === 'claude')?.state).toBe('rate-limited');
  });

  it("books a provider backend's cost against a key's budget, priced from the shipped table", async () => {
    const key = newApiKey('team');
    const gw = await startGateway({
      env: { SIM_ANTHROPIC_KEY: ANTHROPIC_KEY },
      config: {
        listen: { port: 0 },
        backends: [
          {
            name: 'claude',
            type: 'provider',
            provider: 'anthropic',
            url: cloud.baseURL,
            apiKeyEnv: 'SIM_ANTHROPIC_KEY',
            models: { claude: 'claude-sonnet-4-5' },
            price: 'anthropic:claude-sonnet-4-5',
          },
        ],
        keys: [{ id: 'team', hash: key.hash, budget: { usd: 1, period: 'day' } }],
      },
    });
    try {
      const seen: GatewayRequestEvent[] = [];
      gw.events.subscribe((e) => seen.push(e));
      const c = new OpenAI({ baseURL: gw.baseURL, apiKey: key.key, maxRetries: 0 });
      await c.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'price me' }] });
      const stream = await c.chat.completions.create({
        model: 'claude',
        stream: true,
        messages: [{ role: 'user', content: 'and me' }],
      });
      for await (const _ of stream) {
        // drained: the usage arrives at the end, and the gateway books it
      }
      const costs = seen.map((e) => e.costUsd);
      expect(costs.every((usd) => usd > 0)).toBe(true);
      const budget = gw.accounts()[0]?.budget;
      expect(budget?.spentUsd).toBeCloseTo(costs[0]! + costs[1]!, 12);
      expect(budget?.reservedUsd).toBe(0);
    } finally {
      await gw.close();
    }
  });

  it('fails at startup, naming the variable, when the provider key is missing', async () => {
    const error = await startGateway({
      env: {},
      config: {
        listen: { port: 0 },
        backends: [{ name: 'claude', type: 'provider', provider: 'anthropic', models: ['claude'] }],
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/ANTHROPIC_API_KEY/);
  });
});
