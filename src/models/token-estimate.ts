import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt } from '@ai-sdk/provider';

/**
 * An upper-leaning token estimate for budget reservations: about 3 characters
 * a token (English prose runs nearer 4, code nearer 3), plus per-message
 * framing. The real count comes back in the response's usage.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

export function estimatePromptTokens(
  prompt: LanguageModelV3Prompt,
  tools: readonly LanguageModelV3FunctionTool[] = [],
): number {
  let chars = 0;
  for (const message of prompt) {
    chars += 12;
    if (typeof message.content === 'string') {
      chars += message.content.length;
      continue;
    }
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
        case 'reasoning':
          chars += part.text.length;
          break;
        case 'tool-call':
          chars += part.toolName.length + JSON.stringify(part.input ?? null).length;
          break;
        case 'tool-result':
          chars += JSON.stringify(part.output).length;
          break;
        default:
          chars += 256;
      }
    }
  }
  for (const tool of tools)
    chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.inputSchema).length;
  return Math.ceil(chars / 3);
}
