import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FunctionTool,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import type { Reservation } from '../core/budget-ledger.js';
import type { CascadeContext } from '../core/context.js';
import { errorMessage, GuardError, SwarmError } from '../core/errors.js';
import { ModelCallError, ModelStreamError } from './errors.js';
import type { ModelCallResult, ToolCallRequest, Usage } from './model-call.js';

export type { ModelCallResult, ToolCallRequest, Usage } from './model-call.js';

import type { ModelTarget } from './model-ref.js';
import type { LanguageModelFactory } from './providers.js';
import type { CacheableCall, CacheOutcome, CacheProvenance, ResponseCache } from './response-cache.js';
import { type RetryPolicy, retryDelay, sleep } from './retry.js';
import { estimatePromptTokens, estimateTokens } from './token-estimate.js';

/** What the model layer needs from a price list (the `PriceTable` implements it). */
export interface Pricing {
  isKnown(ref: string): boolean;
  cost(ref: string, usage: Usage): number;
  worstCase(ref: string, inputTokens: number, maxOutputTokens: number): number;
}

export interface ModelCallRequest {
  /** The fallback chain, tried in order. */
  models: readonly ModelTarget[];
  prompt: LanguageModelV3Prompt;
  tools?: LanguageModelV3FunctionTool[];
  maxOutputTokens: number;
  temperature?: number;
  responseFormat?: LanguageModelV3CallOptions['responseFormat'];
  onTextDelta?: (text: string) => void;
  /** What the prompt's context was built from (memory segments, source versions): a cached answer goes when they change. */
  provenance?: CacheProvenance;
  /** false: never served from the response cache nor coalesced with another call. */
  cache?: boolean;
}

/**
 * Every model call goes through here: the response cache (a stored answer,
 * or an identical call already in flight), guard check, worst-case budget
 * reservation, the streamed call, reconciliation with the real usage, an
 * event, retries that honour retry-after, then the next model in the chain.
 */
export class ModelClient {
  constructor(
    private readonly factory: LanguageModelFactory,
    private readonly pricing: Pricing,
    private readonly retry: RetryPolicy,
    private readonly cache?: ResponseCache,
  ) {}

  async call(ctx: CascadeContext, request: ModelCallRequest): Promise<ModelCallResult> {
    if (!this.cache || request.cache === false) return this.callChain(ctx, request);
    ctx.guard();
    const started = performance.now();
    const call: CacheableCall = {
      models: request.models.map((m) => m.ref),
      prompt: request.prompt,
      ...(request.tools ? { tools: request.tools } : {}),
      maxOutputTokens: request.maxOutputTokens,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.responseFormat ? { responseFormat: request.responseFormat } : {}),
      tenant: ctx.tenantId,
    };
    let outcome: CacheOutcome;
    try {
      outcome = await this.cache.run(
        call,
        {
          signal: ctx.signal,
          ...(request.provenance ? { provenance: request.provenance } : {}),
          personal: (error) => error instanceof GuardError,
        },
        () => this.callChain(ctx, request),
      );
    } catch (error) {
      if (ctx.signal.aborted) ctx.guard();
      throw error;
    }
    if (outcome.source === 'upstream') return outcome.result;
    // no call of this caller's own: nothing reserved or spent, and the answer arrives whole
    const { result, source } = outcome;
    if (result.text) {
      request.onTextDelta?.(result.text);
      ctx.emit('model.delta', { text: result.text });
    }
    ctx.emit('model.cached', {
      model: result.model,
      source,
      latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
    });
    return { ...result, costUsd: 0, cache: source };
  }

  private async callChain(ctx: CascadeContext, request: ModelCallRequest): Promise<ModelCallResult> {
    let lastError: unknown;
    for (const [index, target] of request.models.entries()) {
      try {
        return await this.callWithRetries(ctx, target, request);
      } catch (error) {
        if (error instanceof GuardError) throw error;
        lastError = error;
        const next = request.models[index + 1];
        if (next) ctx.emit('model.fallback', { from: target.ref, to: next.ref, reason: errorMessage(error) });
      }
    }
    throw lastError;
  }

  private async callWithRetries(
    ctx: CascadeContext,
    target: ModelTarget,
    request: ModelCallRequest,
  ): Promise<ModelCallResult> {
    const model = await this.factory(target);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(ctx, target, model, request, attempt);
      } catch (error) {
        if (error instanceof GuardError) throw error;
        const delay = retryDelay(error, attempt, this.retry);
        const wrapped = wrap(target.ref, error);
        if (delay === undefined || (ctx.deadline !== undefined && Date.now() + delay >= ctx.deadline))
          throw wrapped;
        ctx.emit('model.retry', { model: target.ref, attempt, delayMs: delay, reason: wrapped.message });
        await sleep(delay, ctx.signal).catch(() => ctx.guard());
      }
    }
  }

  private async attempt(
    ctx: CascadeContext,
    target: ModelTarget,
    model: LanguageModelV3,
    request: ModelCallRequest,
    attempt: number,
  ): Promise<ModelCallResult> {
    ctx.guard();
    const estimatedInput = estimatePromptTokens(request.prompt, request.tools);
    const reservation = this.reserve(ctx, target.ref, estimatedInput, request.maxOutputTokens);
    const started = performance.now();
    let text = '';
    let outputChars = 0;
    try {
      const toolCalls: ToolCallRequest[] = [];
      const { stream } = await model.doStream({
        prompt: request.prompt,
        maxOutputTokens: request.maxOutputTokens,
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.tools?.length ? { tools: request.tools, toolChoice: { type: 'auto' } } : {}),
        ...(request.responseFormat ? { responseFormat: request.responseFormat } : {}),
        abortSignal: ctx.signal,
      });
      let finish: Extract<LanguageModelV3StreamPart, { type: 'finish' }> | undefined;
      const reader = stream.getReader();
      for (;;) {
        const { done, value: part } = await reader.read().catch((error: unknown) => {
          if (ctx.signal.aborted) throw error;
          // the response had started: whatever broke it, the answer so far is partial
          throw new ModelStreamError(target.ref, errorMessage(streamCause(error)), error);
        });
        if (done) break;
        switch (part.type) {
          case 'text-delta':
            text += part.delta;
            outputChars += part.delta.length;
            request.onTextDelta?.(part.delta);
            ctx.emit('model.delta', { text: part.delta });
            break;
          case 'tool-call':
            outputChars += part.input.length;
            toolCalls.push({ id: part.toolCallId, name: part.toolName, input: part.input });
            break;
          case 'finish':
            finish = part;
            break;
          case 'error':
            throw new ModelStreamError(target.ref, errorMessage(part.error), part.error);
        }
      }
      if (!finish) throw new ModelStreamError(target.ref, 'the stream ended before the model finished');
      const usage: Usage = {
        inputTokens: finish.usage.inputTokens.total ?? estimatedInput,
        outputTokens: finish.usage.outputTokens.total ?? estimateTokens(text) + Math.ceil(outputChars / 3),
        cachedInputTokens: finish.usage.inputTokens.cacheRead ?? 0,
      };
      const costUsd = this.cost(target.ref, usage);
      ctx.ledger.commit(reservation, { tokens: usage.inputTokens + usage.outputTokens, usd: costUsd });
      const finishReason = finish.finishReason.unified;
      ctx.emit('model.call', {
        model: target.ref,
        attempt,
        ok: true,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        cachedTokens: usage.cachedInputTokens,
        costUsd,
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        finishReason,
      });
      return { model: target.ref, text, toolCalls, finishReason, usage, costUsd };
    } catch (error) {
      this.settleFailed(ctx, target.ref, reservation, estimatedInput, outputChars);
      if (ctx.signal.aborted) ctx.guard();
      ctx.emit('model.call', {
        model: target.ref,
        attempt,
        ok: false,
        inputTokens: 0,
        outputTokens: 0,
        cachedTokens: 0,
        costUsd: 0,
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        error: errorMessage(error),
      });
      throw error;
    }
  }

  private reserve(
    ctx: CascadeContext,
    ref: string,
    inputTokens: number,
    maxOutputTokens: number,
  ): Reservation {
    // a money budget cannot be enforced for a model whose price is unknown: worstCase() then throws and says so
    const priced = this.pricing.isKnown(ref) || ctx.ledger.limits.usd !== undefined;
    const usd = priced ? this.pricing.worstCase(ref, inputTokens, maxOutputTokens) : 0;
    return ctx.reserve(inputTokens + maxOutputTokens, usd);
  }

  private cost(ref: string, usage: Usage): number {
    return this.pricing.isKnown(ref) ? this.pricing.cost(ref, usage) : 0;
  }

  /** A call that broke off after streaming output was probably billed: count what was seen. */
  private settleFailed(
    ctx: CascadeContext,
    ref: string,
    reservation: Reservation,
    input: number,
    outputChars: number,
  ) {
    if (outputChars === 0) {
      ctx.ledger.release(reservation);
      return;
    }
    const usage = { inputTokens: input, outputTokens: Math.ceil(outputChars / 3), cachedInputTokens: 0 };
    ctx.ledger.commit(reservation, {
      tokens: usage.inputTokens + usage.outputTokens,
      usd: this.cost(ref, usage),
    });
  }
}

function wrap(ref: string, error: unknown): SwarmError {
  if (error instanceof SwarmError) return error;
  const status = (error as { statusCode?: number }).statusCode;
  const retryable = (error as { isRetryable?: boolean }).isRetryable ?? error instanceof TypeError;
  const cause = (error as { cause?: unknown }).cause;
  const detail =
    status !== undefined
      ? `HTTP ${status}: ${errorMessage(error)}`
      : `${errorMessage(error)}${cause ? ` (${errorMessage(cause)})` : ''}`;
  return new ModelCallError(ref, detail, {
    ...(status === undefined ? {} : { status }),
    retryable,
    cause: error,
  });
}

/** The AI SDK wraps a dropped connection as an HTTP 200 error; its cause says what happened. */
function streamCause(error: unknown): unknown {
  const cause = (error as { cause?: unknown }).cause;
  return (error as { statusCode?: number }).statusCode === 200 && cause ? cause : error;
}
