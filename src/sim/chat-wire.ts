import { randomBytes } from 'node:crypto';
import type { WireFormat } from './generation.js';
import { type PlannedToolCall, splitPieces } from './reply-plan.js';
import { usageObject } from './tokens.js';

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

export function newMeta(prefix: 'chatcmpl' | 'cmpl', model: string): CompletionMeta {
  return {
    id: `${prefix}-${randomBytes(16).toString('hex')}`,
    created: Math.floor(Date.now() / 1000),
    model,
  };
}

/**
 * `/v1/chat/completions` as vLLM and OpenAI send it: a role chunk, content
 * pieces, then per tool call a header delta (index, id, type, name, empty
 * arguments) followed by argument pieces carrying only index and arguments,
 * then a finish chunk with an empty delta, then (with include_usage) a usage
 * chunk with no choices. Content chunks carry `usage: null` only when usage
 * was asked for, as OpenAI does.
 */
export function chatWire(meta: CompletionMeta): WireFormat {
  const head = { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model };
  return {
    body: (plan, usage) => ({
      id: meta.id,
      object: 'chat.completion',
      created: meta.created,
      model: meta.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: plan.content === '' && plan.toolCalls.length > 0 ? null : plan.content,
            tool_calls: plan.toolCalls.map(wireToolCall),
          },
          logprobs: null,
          finish_reason: plan.finishReason,
        },
      ],
      usage: usageObject(usage),
    }),
    chunks: (plan, usage) => {
      const chunk = (delta: object, finishReason: string | null = null) => ({
        ...head,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        ...(usage ? { usage: null } : {}),
      });
      const out: object[] = [chunk({ role: 'assistant', content: '' })];
      for (const piece of splitPieces(plan.content, plan.chunkSize)) out.push(chunk({ content: piece }));
      plan.toolCalls.forEach((call, index) => {
        out.push(
          chunk({
            tool_calls: [
              { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
            ],
          }),
        );
        for (const piece of splitPieces(call.arguments, plan.chunkSize)) {
          out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
        }
      });
      out.push(chunk({}, plan.finishReason));
      if (usage) out.push({ ...head, choices: [], usage: usageObject(usage) });
      return out;
    },
  };
}

function wireToolCall(call: PlannedToolCall) {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
}
