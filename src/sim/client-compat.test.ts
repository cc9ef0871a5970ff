import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, embedMany, generateText, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type SimServer, startSim } from './server.js';

/*
 * The rest of Swarm reaches models through the Vercel AI SDK, so the
 * simulator's wire format is proven by that client parsing it, not only by
 * our own reading of the recordings.
 */

let sim: SimServer;
beforeAll(async () => {
  sim = await startSim({
    apiKey: 'sk-sim',
    scenario: {
      models: ['sim-model', 'sim-embed'],
      defaults: { chunkSize: 5 },
      rules: [
        { match: { lastUser: 'busy' }, fault: { type: 'http', status: 429, retryAfter: 2 } },
        { match: { lastToolResult: '.' }, reply: { content: 'It is {{lastToolResult}}.' } },
        {
          match: { hasTool: 'weather' },
          reply: {
            content: 'Let me check.',
            toolCalls: [{ name: 'weather', arguments: { location: 'Paris' } }],
          },
        },
        { reply: { content: 'echo: {{lastUser}}' } },
      ],
    },
  });
});
afterAll(() => sim.close());

const provider = () =>
  createOpenAICompatible({ name: 'sim', baseURL: sim.baseURL, apiKey: 'sk-sim', includeUsage: true });

describe('the Vercel AI SDK against the simulator', () => {
  it('generates text with usage', async () => {
    const result = await generateText({
      model: provider().chatModel('sim-model'),
      prompt: 'hello',
      maxRetries: 0,
    });
    expect(result.text).toBe('echo: hello');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.outputTokens).toBe(3);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it('streams a tool call, runs the tool and streams the answer', async () => {
    const result = streamText({
      model: provider().chatModel('sim-model'),
      prompt: 'weather in Paris?',
      maxRetries: 0,
      tools: {
        weather: tool({
          inputSchema: z.object({ location: z.string() }),
          execute: async ({ location }) => `sunny in ${location}`,
        }),
      },
      stopWhen: ({ steps }) => steps.length >= 2,
    });
    const steps = await result.steps;
    expect(steps[0]?.toolCalls.map((c) => [c.toolName, c.input])).toEqual([
      ['weather', { location: 'Paris' }],
    ]);
    expect(steps[0]?.text).toBe('Let me check.');
    expect(steps[0]?.finishReason).toBe('tool-calls');
    expect(await result.text).toBe('It is sunny in Paris.');
    expect((await result.totalUsage).outputTokens).toBeGreaterThan(0);
  });

  it('sees a 429 as a retryable API error', async () => {
    const error = await generateText({
      model: provider().chatModel('sim-model'),
      prompt: 'busy',
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 429, isRetryable: true });
    expect((error as APICallError).responseHeaders?.['retry-after']).toBe('2');
  });

  it('embeds through the embedding model', async () => {
    const { embeddings } = await embedMany({
      model: provider().embeddingModel('sim-embed'),
      values: ['alpha', 'beta'],
      maxRetries: 0,
    });
    expect(embeddings.map((e) => e.length)).toEqual([256, 256]);
  });
});
