import type { ServerResponse } from 'node:http';
import { messagesFeatures, messagesPromptText, messagesRequestSchema } from './anthropic-requests.js';
import { anthropicError, anthropicWire } from './anthropic-wire.js';
import { chatWire, newMeta } from './chat-wire.js';
import { DEFAULT_DIMENSIONS, embed, toBase64 } from './embeddings.js';
import { serveGeneration } from './generation.js';
import { sendInvalidBody, sendJson, sendModelNotFound } from './http-io.js';
import { renderMetrics } from './metrics-text.js';
import {
  chatFeatures,
  chatPromptText,
  chatRequestSchema,
  completionFeatures,
  completionRequestSchema,
  embeddingRequestSchema,
  promptOf,
} from './openai-requests.js';
import type { RecordedRequest } from './request-log.js';
import type { SimState } from './sim-state.js';
import { textWire } from './text-wire.js';
import { estimateTokens } from './tokens.js';

/** A request the server has read, authorised and recorded. */
export interface RouteContext {
  state: SimState;
  body: unknown;
  res: ServerResponse;
  signal: AbortSignal;
  entry: RecordedRequest;
}

export async function chatCompletions({ state, body, res, signal, entry }: RouteContext) {
  const parsed = chatRequestSchema.safeParse(body);
  if (!parsed.success) return sendInvalidBody(res, parsed.error);
  const request = parsed.data;
  if (!state.scenario.models.includes(request.model)) {
    return sendModelNotFound(res, request.model, state.scenario.models);
  }
  await serveGeneration(
    state,
    {
      model: request.model,
      features: chatFeatures(request),
      promptText: chatPromptText(request),
      stream: request.stream === true,
      includeUsage: request.stream_options?.include_usage === true,
      maxTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
      toolsAllowed: true,
      wire: chatWire(newMeta('chatcmpl', request.model)),
    },
    res,
    signal,
    entry,
  );
}

/** Anthropic's Messages API, driven by the same scenario rules as the OpenAI endpoints. */
export async function messages({ state, body, res, signal, entry }: RouteContext) {
  const parsed = messagesRequestSchema.safeParse(body);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    return sendJson(res, 400, anthropicError(400, detail));
  }
  const request = parsed.data;
  if (!state.scenario.models.includes(request.model)) {
    return sendJson(
      res,
      404,
      anthropicError(
        404,
        `model: ${request.model} (this simulator serves ${state.scenario.models.join(', ')})`,
      ),
    );
  }
  await serveGeneration(
    state,
    {
      model: request.model,
      features: messagesFeatures(request),
      promptText: messagesPromptText(request),
      stream: request.stream === true,
      // The Messages API always reports usage, in message_start and message_delta.
      includeUsage: true,
      maxTokens: request.max_tokens,
      toolsAllowed: true,
      wire: anthropicWire(request.model),
    },
    res,
    signal,
    entry,
  );
}

export async function completions({ state, body, res, signal, entry }: RouteContext) {
  const parsed = completionRequestSchema.safeParse(body);
  if (!parsed.success) return sendInvalidBody(res, parsed.error);
  const request = parsed.data;
  if (!state.scenario.models.includes(request.model)) {
    return sendModelNotFound(res, request.model, state.scenario.models);
  }
  await serveGeneration(
    state,
    {
      model: request.model,
      features: completionFeatures(request),
      promptText: promptOf(request),
      stream: request.stream === true,
      includeUsage: request.stream_options?.include_usage === true,
      maxTokens: request.max_tokens ?? undefined,
      toolsAllowed: false,
      wire: textWire(newMeta('cmpl', request.model)),
    },
    res,
    signal,
    entry,
  );
}

export function embeddings({ state, body, res }: RouteContext) {
  const parsed = embeddingRequestSchema.safeParse(body);
  if (!parsed.success) return sendInvalidBody(res, parsed.error);
  const request = parsed.data;
  if (!state.scenario.models.includes(request.model)) {
    return sendModelNotFound(res, request.model, state.scenario.models);
  }
  const inputs = typeof request.input === 'string' ? [request.input] : request.input;
  const dimensions = request.dimensions ?? DEFAULT_DIMENSIONS;
  const tokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
  sendJson(res, 200, {
    object: 'list',
    data: inputs.map((text, index) => {
      const vector = embed(text, dimensions);
      return {
        object: 'embedding',
        index,
        embedding: request.encoding_format === 'base64' ? toBase64(vector) : vector,
      };
    }),
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

export function models({ state, res }: RouteContext) {
  const created = Math.floor(Date.now() / 1000);
  sendJson(res, 200, {
    object: 'list',
    data: state.scenario.models.map((id) => ({ id, object: 'model', created, owned_by: 'swarm-sim' })),
  });
}

export function metrics({ state, res }: RouteContext) {
  const text = renderMetrics(state.metricsStyle, state.metrics.snapshot());
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  res.end(text);
}
