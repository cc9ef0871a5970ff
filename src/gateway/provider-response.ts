import { randomBytes } from 'node:crypto';
import type {
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { TokenUsage } from './backend.js';

/*
 * Model-layer results written back as OpenAI chat completions, so a client
 * of the gateway cannot tell a cloud provider backend from a vLLM server.
 */

const FINISH: Record<LanguageModelV3FinishReason['unified'], string> = {
  stop: 'stop',
  length: 'length',
  'content-filter': 'content_filter',
  'tool-calls': 'tool_calls',
  error: 'stop',
  other: 'stop',
};

/** Undefined when the provider reported no token counts: the gateway then estimates them, and says so. */
export function toTokenUsage(usage: LanguageModelV3Usage): TokenUsage | undefined {
  if (usage.inputTokens.total === undefined && usage.outputTokens.total === undefined) return undefined;
  return {
    promptTokens: usage.inputTokens.total ?? 0,
    completionTokens: usage.outputTokens.total ?? 0,
    cachedTokens: usage.inputTokens.cacheRead ?? 0,
  };
}

const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };

function usageObject(usage: TokenUsage = NO_USAGE) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens },
  };
}

export function completionId(): string {
  return `chatcmpl-${randomBytes(16).toString('hex')}`;
}

/** A whole `chat.completion` from a generate result. */
export function completionBody(result: LanguageModelV3GenerateResult, model: string): object {
  let content = '';
  const toolCalls: object[] = [];
  for (const part of result.content) {
    if (part.type === 'text') content += part.text;
    else if (part.type === 'tool-call' && part.providerExecuted !== true) {
      toolCalls.push({
        id: part.toolCallId,
        type: 'function',
        function: { name: part.toolName, arguments: part.input },
      });
    }
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: content === '' && toolCalls.length > 0 ? null : content,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: completionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: result.response?.modelId ?? model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH[result.finishReason.unified] }],
    usage: usageObject(toTokenUsage(result.usage)),
  };
}

/**
 * Turns a model-layer stream into OpenAI `chat.completion.chunk` events:
 * a role chunk before the first output, content deltas, per tool call a
 * header delta (index, id, name) and argument deltas, a finish chunk, and
 * the usage chunk when the client asked for it, then `[DONE]`. Reasoning
 * and provider metadata have no place in the format and are left out.
 */
export class ChunkWriter {
  private readonly id = completionId();
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly toolIndex = new Map<string, number>();
  private started = false;
  /** Characters of output, to estimate usage when the stream breaks off. */
  generatedChars = 0;
  usage: TokenUsage | undefined;
  finished = false;

  constructor(
    private readonly model: string,
    private readonly includeUsage: boolean,
  ) {}

  /** The SSE text for one part ('' when the part shows nothing to the client). */
  push(part: LanguageModelV3StreamPart): string {
    switch (part.type) {
      case 'text-delta':
        if (part.delta === '') return '';
        this.generatedChars += part.delta.length;
        return this.open() + this.chunk({ content: part.delta });
      case 'tool-input-start': {
        if (part.providerExecuted === true) return '';
        const index = this.toolIndex.size;
        this.toolIndex.set(part.id, index);
        return (
          this.open() +
          this.chunk({
            tool_calls: [
              { index, id: part.id, type: 'function', function: { name: part.toolName, arguments: '' } },
            ],
          })
        );
      }
      case 'tool-input-delta': {
        const index = this.toolIndex.get(part.id);
        if (index === undefined || part.delta === '') return '';
        this.generatedChars += part.delta.length;
        return this.chunk({ tool_calls: [{ index, function: { arguments: part.delta } }] });
      }
      case 'tool-call': {
        // Providers that send a call whole (no input deltas) get its header and arguments at once.
        if (this.toolIndex.has(part.toolCallId) || part.providerExecuted === true) return '';
        const index = this.toolIndex.size;
        this.toolIndex.set(part.toolCallId, index);
        this.generatedChars += part.input.length;
        return (
          this.open() +
          this.chunk({
            tool_calls: [
              {
                index,
                id: part.toolCallId,
                type: 'function',
                function: { name: part.toolName, arguments: part.input },
              },
            ],
          })
        );
      }
      case 'finish': {
        this.finished = true;
        this.usage = toTokenUsage(part.usage);
        let out = this.open() + this.chunk({}, FINISH[part.finishReason.unified]);
        if (this.includeUsage)
          out += this.event({ ...this.head(), choices: [], usage: usageObject(this.usage) });
        return `${out}data: [DONE]\n\n`;
      }
      default:
        return '';
    }
  }

  private open(): string {
    if (this.started) return '';
    this.started = true;
    return this.chunk({ role: 'assistant', content: '' });
  }

  private head() {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }

  private chunk(delta: object, finishReason: string | null = null): string {
    return this.event({
      ...this.head(),
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(this.includeUsage ? { usage: null } : {}),
    });
  }

  private event(payload: object): string {
    return `data: ${JSON.stringify(payload)}\n\n`;
  }
}
