import type { CompletionMeta } from './chat-wire.js';
import type { WireFormat } from './generation.js';
import { splitPieces } from './reply-plan.js';
import { usageObject } from './tokens.js';

/**
 * Legacy `/v1/completions`, as OpenAI streams it: `text_completion` chunks
 * whose last text piece carries the finish reason, then (with include_usage)
 * a usage chunk with no choices.
 */
export function textWire(meta: CompletionMeta): WireFormat {
  const head = { id: meta.id, object: 'text_completion', created: meta.created, model: meta.model };
  return {
    body: (plan, usage) => ({
      ...head,
      choices: [{ text: plan.content, index: 0, logprobs: null, finish_reason: plan.finishReason }],
      usage: usageObject(usage),
    }),
    chunks: (plan, usage) => {
      const pieces = splitPieces(plan.content, plan.chunkSize);
      if (pieces.length === 0) pieces.push('');
      const out: object[] = pieces.map((text, i) => ({
        ...head,
        choices: [
          {
            text,
            index: 0,
            logprobs: null,
            finish_reason: i === pieces.length - 1 ? plan.finishReason : null,
          },
        ],
        ...(usage ? { usage: null } : {}),
      }));
      if (usage) out.push({ ...head, usage: usageObject(usage), choices: [] });
      return out;
    },
  };
}
