import { describe, expect, it } from 'vitest';
import { McpToolError } from './errors.js';
import { inputValidator, swarmToolName, toolValue } from './tool-adapter.js';

describe('swarmToolName', () => {
  it('joins server and tool with __ when that is already a valid name', () => {
    expect(swarmToolName('fs', 'read_file')).toBe('fs__read_file');
    expect(swarmToolName('everything', 'get-sum')).toBe('everything__get-sum');
  });

  it('replaces characters providers refuse and keeps distinct names distinct', () => {
    const a = swarmToolName('my.server', 'tool/one');
    const b = swarmToolName('my_server', 'tool_one');
    expect(a).toMatch(/^my_server__tool_one_[0-9a-f]{8}$/);
    expect(b).toBe('my_server__tool_one');
    expect(a).not.toBe(b);
  });

  it('keeps long names within 64 characters, still distinct', () => {
    const long = 'x'.repeat(70);
    const one = swarmToolName('server', `${long}1`);
    const two = swarmToolName('server', `${long}2`);
    expect(one).toHaveLength(64);
    expect(one).not.toBe(two);
    expect(one).toMatch(/^[a-zA-Z0-9_-]+$/);
  });
});

describe('inputValidator', () => {
  it('converts a JSON Schema into validation', () => {
    const v = inputValidator({
      type: 'object',
      properties: { n: { type: 'integer', minimum: 1 } },
      required: ['n'],
    });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.input.safeParse({ n: 2 }).success).toBe(true);
    expect(v.input.safeParse({ n: 0 }).success).toBe(false);
    expect(v.input.safeParse({}).success).toBe(false);
  });

  it('reports a schema zod cannot read instead of throwing', () => {
    const v = inputValidator({ type: 'object', properties: { x: { type: 'banana' } } });
    expect(v).toEqual({ ok: false, reason: expect.stringMatching(/not valid JSON Schema: .*banana/) });
  });
});

describe('toolValue', () => {
  it('joins text blocks and summarises binary ones', () => {
    expect(
      toolValue('s', 't', {
        content: [
          { type: 'text', text: 'a' },
          { type: 'image', data: 'AAAA', mimeType: 'image/png' },
          { type: 'resource_link', uri: 'file:///x', name: 'x' },
          { type: 'resource', resource: { uri: 'mem://n', text: 'note' } },
        ],
      }),
    ).toBe('a\n[image image/png, 3 bytes]\n[resource link file:///x (x)]\nnote');
  });

  it('prefers structured content', () => {
    expect(
      toolValue('s', 't', { content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } }),
    ).toEqual({ a: 1 });
  });

  it('turns isError into McpToolError with the tool text', () => {
    expect(() =>
      toolValue('s', 't', { isError: true, content: [{ type: 'text', text: 'no such row' }] }),
    ).toThrow(new McpToolError('s', 't', 'no such row'));
    expect(() => toolValue('s', 't', { isError: true, content: [] })).toThrow(/without a message/);
  });
});
