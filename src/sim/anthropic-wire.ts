import { randomBytes } from 'node:crypto';
import type { WireFormat } from './generation.js';
import { type FinishReason, type PlannedToolCall, type ReplyPlan, splitPieces } from './reply-plan.js';
import type { Usage } from './tokens.js';

const STOP_REASONS: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/** Error `type`s the Anthropic API sends for each status, which its clients classify by. */
export function anthropicErrorType(status: number): string {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529 || status === 503) return 'overloaded_error';
  return 'api_error';
}

export function anthropicError(status: number, message: string): object {
  return { type: 'error', error: { type: anthropicErrorType(status), message } };
}

/**
 * Anthropic's usage: `input_tokens` counts only the prompt tokens not read
 * from the cache, which are reported apart, as the API does.
 */
function usageOf(usage: Usage) {
  return {
    input_tokens: usage.promptTokens - usage.cachedTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: usage.cachedTokens,
    output_tokens: usage.completionTokens,
  };
}

/** tool_use input is an object on the wire; scripted malformed arguments are sent as the raw string. */
function inputOf(call: PlannedToolCall): unknown {
  try {
    return JSON.parse(call.arguments);
  } catch {
    return call.arguments;
  }
}

/**
 * `POST /v1/messages` as Anthropic sends it. Whole: one message with text
 * and tool_use blocks. Streamed: `event:`-named SSE events: message_start
 * (with the input usage), per block a content_block_start, its deltas
 * (text_delta, or input_json_delta pieces of the arguments) and a
 * content_block_stop, then message_delta (stop reason and output usage) and
 * message_stop, with a ping after the first block starts. No `[DONE]`.
 */
export function anthropicWire(model: string): WireFormat {
  const id = `msg_${randomBytes(12).toString('hex')}`;
  const toolId = (call: PlannedToolCall) =>
    call.id.startsWith('call_') ? `toolu_${call.id.slice(5)}` : call.id;
  return {
    body: (plan: ReplyPlan, usage: Usage) => ({
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [
        ...(plan.content === '' && plan.toolCalls.length > 0 ? [] : [{ type: 'text', text: plan.content }]),
        ...plan.toolCalls.map((call) => ({
          type: 'tool_use',
          id: toolId(call),
          name: call.name,
          input: inputOf(call),
        })),
      ],
      stop_reason: STOP_REASONS[plan.finishReason],
      stop_sequence: null,
      usage: usageOf(usage),
    }),
    chunks: (plan: ReplyPlan, usage: Usage | undefined) => {
      const u = usageOf(usage ?? { promptTokens: 0, completionTokens: 0, cachedTokens: 0 });
      const out: object[] = [
        {
          type: 'message_start',
          message: {
            id,
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { ...u, output_tokens: 1 },
          },
        },
      ];
      let index = 0;
      if (plan.content !== '' || plan.toolCalls.length === 0) {
        out.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        out.push({ type: 'ping' });
        for (const text of splitPieces(plan.content, plan.chunkSize)) {
          out.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
        }
        out.push({ type: 'content_block_stop', index });
        index += 1;
      }
      for (const call of plan.toolCalls) {
        out.push({
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: toolId(call), name: call.name, input: {} },
        });
        out.push({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: '' },
        });
        for (const piece of splitPieces(call.arguments, plan.chunkSize)) {
          out.push({
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: piece },
          });
        }
        out.push({ type: 'content_block_stop', index });
        index += 1;
      }
      out.push({
        type: 'message_delta',
        delta: { stop_reason: STOP_REASONS[plan.finishReason], stop_sequence: null },
        usage: { output_tokens: u.output_tokens },
      });
      out.push({ type: 'message_stop' });
      return out;
    },
    frame: (payload: object) =>
      `event: ${(payload as { type: string }).type}\ndata: ${JSON.stringify(payload)}\n\n`,
    terminator: '',
    errorBody: (status, message) => anthropicError(status, message ?? simulatedMessage(status)),
  };
}

function simulatedMessage(status: number): string {
  if (status === 429) return 'Number of requests has exceeded your rate limit (simulated).';
  if (status === 529 || status === 503) return 'Overloaded (simulated).';
  if (status >= 500) return 'Internal server error (simulated).';
  return `Request rejected with status ${status} (simulated).`;
}
