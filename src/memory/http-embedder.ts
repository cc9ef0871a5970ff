import { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import { type RetryPolicy, retryDelay, sleep } from '../models/retry.js';
import { EmbeddingEndpointError } from './errors.js';

export interface HttpEmbedderOptions {
  baseURL: string;
  model: string;
  /** Sent as OpenAI's `dimensions` when set. */
  dims?: number;
  apiKey?: string;
  retry: RetryPolicy;
  timeoutMs?: number;
}

const responseSchema = z.looseObject({
  data: z
    .array(
      z.looseObject({
        index: z.number().int().nonnegative(),
        embedding: z.union([z.string(), z.array(z.number())]),
      }),
    )
    .min(1),
});

/** Longest server-requested wait honoured before giving up for now (embedding resumes later). */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Any OpenAI-compatible `/v1/embeddings` endpoint (vLLM, Ollama, llama.cpp,
 * OpenAI, the simulator): one request per batch, base64 float32 on the
 * wire, retried on 429, 5xx and dropped connections with the server's
 * `retry-after` or exponential backoff. Vectors come back L2-normalised so
 * a dot product is a cosine.
 */
export class HttpEmbedder {
  private readonly url: string;

  constructor(private readonly options: HttpEmbedderOptions) {
    this.url = `${options.baseURL.replace(/\/+$/, '')}/embeddings`;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.request(texts, signal);
      } catch (error) {
        if (!(error instanceof EmbeddingEndpointError) || signal?.aborted) throw error;
        const backoff = retryDelay(error, attempt, this.options.retry);
        if (backoff === undefined) throw error;
        const delay = error.retryAfterMs ?? backoff;
        if (delay > MAX_RETRY_AFTER_MS) throw error;
        await sleep(delay, signal ?? new AbortController().signal);
      }
    }
  }

  private async request(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const { model, dims, apiKey, timeoutMs = 60_000 } = this.options;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify({
          model,
          input: texts,
          encoding_format: 'base64',
          ...(dims ? { dimensions: dims } : {}),
        }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new EmbeddingEndpointError(this.url, `request failed (${errorMessage(error)})`, {
        retryable: true,
        cause: error,
      });
    }
    const body = await response.text().catch((error: unknown) => {
      throw new EmbeddingEndpointError(this.url, `response cut off (${errorMessage(error)})`, {
        retryable: true,
        cause: error,
      });
    });
    if (!response.ok) {
      const status = response.status;
      const retryAfter = Number.parseFloat(response.headers.get('retry-after') ?? '');
      throw new EmbeddingEndpointError(this.url, `HTTP ${status}: ${body.slice(0, 300)}`, {
        status,
        retryable: status === 408 || status === 409 || status === 429 || status >= 500,
        ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
      });
    }
    let parsed: z.infer<typeof responseSchema>;
    try {
      parsed = responseSchema.parse(JSON.parse(body));
    } catch (error) {
      throw new EmbeddingEndpointError(this.url, `unexpected response (${errorMessage(error)})`, {
        retryable: false,
        cause: error,
      });
    }
    const vectors: Float32Array[] = new Array(texts.length);
    for (const item of parsed.data) {
      if (item.index < texts.length) vectors[item.index] = normalise(decode(item.embedding));
    }
    for (let i = 0; i < texts.length; i++) {
      if (!vectors[i]) {
        throw new EmbeddingEndpointError(this.url, `no embedding for input ${i}`, { retryable: false });
      }
    }
    return vectors;
  }
}

function decode(embedding: string | number[]): Float32Array {
  if (typeof embedding !== 'string') return Float32Array.from(embedding);
  const bytes = Buffer.from(embedding, 'base64');
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.byteLength));
  return out;
}

function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < vector.length; i++) vector[i]! *= inv;
  }
  return vector;
}
