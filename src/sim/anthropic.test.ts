import { createAnthropic } from '@ai-sdk/anthropic';
import { APICallError, generateText, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type SimServer, startSim } from './server.js';

/*
 * The Anthropic Messages wire format, proven by Anthropic's own AI SDK
 * provider parsing it (plain, streamed, tool use, usage, errors) and by the
 * raw event sequence the API documents.
 */

let sim: SimServer;
beforeAll(async () => {
  sim = await startSim({
    apiKey: 'sk-ant-sim',
    scenario: {
      models: ['claude-sim'],
      defaults: { chunkSize: 4 },
      rules: [
        { match: { lastUser: 'busy' }, fault: { type: 'http', status: 429, retryAfter: 3 } },
        { match: { lastToolResult: '.' }, reply: { content: 'It is {{lastToolResult}}.' } },
        {
          match: { hasTool: 'weather' },
          reply: { content: 'Checking.', toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] },
        },
        {
          match: { system: 'terse' },
          reply: { content: 'ok', usage: { promptTokens: 40, completionTokens: 1 } },
        },
        { reply: { content: 'echo: {{lastUser}}' } },
      ],
    },
  });
});
afterAll(() => sim.close());

const model = (apiKey = 'sk-ant-sim') => createAnthropic({ baseURL: sim.baseURL, apiKey })('claude-sim');

describe('the simulator speaking Anthropic Messages', () => {
  it('answers a plain request with text, stop reason and usage', async () => {
    const result = await generateText({
      model: model(),
      system: 'be terse',
      prompt: 'hi',
      maxRetries: 0,
      maxOutputTokens: 200,
    });
    expect(result.text).toBe('ok');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ inputTokens: 40, outputTokens: 1 });
    const sent = sim.requests().at(-1);
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.headers['anthropic-version']).toBeDefined();
  });

  it('streams a tool call, takes the tool result and streams the answer', async () => {
    const result = streamText({
      model: model(),
      prompt: 'weather in Paris?',
      maxRetries: 0,
      maxOutputTokens: 200,
      stopWhen: stepCountIs(2),
      tools: {
        weather: tool({
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => `sunny in ${city}`,
        }),
      },
    });
    // Anthropic's provider sends a string tool result as text, unquoted.
    expect(await result.text).toBe('It is sunny in Paris.');
    const steps = await result.steps;
    expect(steps[0]?.toolCalls[0]).toMatchObject({ toolName: 'weather', input: { city: 'Paris' } });
    expect(steps[0]?.finishReason).toBe('tool-calls');
    expect((await result.totalUsage).outputTokens).toBeGreaterThan(0);
  });

  it('sends the documented event sequence', async () => {
    const res = await fetch(`${sim.baseURL}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-sim', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-sim',
        max_tokens: 100,
        stream: true,
        tools: [{ name: 'weather', input_schema: { type: 'object' } }],
        messages: [{ role: 'user', content: 'weather?' }],
      }),
    });
    const text = await res.text();
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events[0]).toBe('message_start');
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(events).toContain('ping');
    expect(text).toContain('"type":"tool_use"');
    expect(text).toContain('"stop_reason":"tool_use"');
    expect(text).not.toContain('[DONE]');
  });

  it('answers faults and bad keys in Anthropic error envelopes', async () => {
    const busy = await generateText({ model: model(), prompt: 'busy', maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    expect(APICallError.isInstance(busy)).toBe(true);
    expect((busy as APICallError).statusCode).toBe(429);
    expect((busy as APICallError).responseHeaders?.['retry-after']).toBe('3');
    expect((busy as APICallError).message).toMatch(/rate limit/);
    const denied = await generateText({ model: model('wrong'), prompt: 'hi', maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    expect((denied as APICallError).statusCode).toBe(401);
    const res = await fetch(`${sim.baseURL}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-sim', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sim', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });
});
