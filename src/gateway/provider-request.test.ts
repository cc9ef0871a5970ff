import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from './errors.js';
import { toProviderCall } from './provider-request.js';
import { ChunkWriter } from './provider-response.js';

describe('OpenAI chat request to a model-layer call', () => {
  it('maps messages, tools, tool choice and sampling parameters', () => {
    const call = toProviderCall(
      {
        model: 'm',
        temperature: 0.5,
        stop: 'END',
        response_format: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object' } } },
        tool_choice: { type: 'function', function: { name: 'look' } },
        tools: [{ type: 'function', function: { name: 'look', parameters: { type: 'object' } } }],
        messages: [
          { role: 'developer', content: 'be brief' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'look', arguments: '{"at":1}' } }],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'a cat' },
        ],
      },
      64,
    );
    expect(call).toMatchObject({
      maxOutputTokens: 64,
      temperature: 0.5,
      stopSequences: ['END'],
      responseFormat: { type: 'json', name: 'r', schema: { type: 'object' } },
      toolChoice: { type: 'tool', toolName: 'look' },
      tools: [{ type: 'function', name: 'look', inputSchema: { type: 'object' } }],
    });
    expect(call.prompt).toEqual([
      { role: 'system', content: 'be brief' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'file', mediaType: 'image/png', data: 'AAAA' },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'look', input: { at: 1 } }],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'c1',
            toolName: 'look',
            output: { type: 'text', value: 'a cat' },
          },
        ],
      },
    ]);
  });

  it('refuses what it cannot convert, naming the field', () => {
    expect(() => toProviderCall({ messages: [] }, undefined)).toThrow(InvalidRequestError);
    expect(() =>
      toProviderCall({ messages: [{ role: 'user', content: [{ type: 'input_audio' }] }] }, undefined),
    ).toThrow(/input_audio/);
    expect(() => toProviderCall({ messages: [{ role: 'tool', content: 'x' }] }, undefined)).toThrow(
      /tool_call_id/,
    );
  });
});

describe('model-layer stream parts to OpenAI chunks', () => {
  it('opens with the role, numbers tool calls, and ends with finish, usage and [DONE]', () => {
    const w = new ChunkWriter('m', true);
    const out = [
      w.push({ type: 'stream-start', warnings: [] }),
      w.push({ type: 'text-delta', id: 't', delta: 'Hi' }),
      w.push({ type: 'tool-input-start', id: 'a', toolName: 'f' }),
      w.push({ type: 'tool-input-delta', id: 'a', delta: '{}' }),
      w.push({ type: 'tool-call', toolCallId: 'a', toolName: 'f', input: '{}' }),
      w.push({ type: 'tool-call', toolCallId: 'b', toolName: 'g', input: '{"x":1}' }),
      w.push({
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool_use' },
        usage: {
          inputTokens: { total: 10, noCache: 6, cacheRead: 4, cacheWrite: 0 },
          outputTokens: { total: 5, text: 5, reasoning: undefined },
        },
      }),
    ].join('');
    const events = out
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.slice('data: '.length));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks[1].choices[0].delta).toEqual({ content: 'Hi' });
    expect(chunks[2].choices[0].delta.tool_calls[0]).toMatchObject({
      index: 0,
      id: 'a',
      function: { name: 'f' },
    });
    expect(chunks[4].choices[0].delta.tool_calls[0]).toMatchObject({
      index: 1,
      id: 'b',
      function: { arguments: '{"x":1}' },
    });
    expect(chunks[5].choices[0].finish_reason).toBe('tool_calls');
    expect(chunks[6]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 4 } },
    });
    expect(w.usage).toEqual({ promptTokens: 10, completionTokens: 5, cachedTokens: 4 });
  });
});
