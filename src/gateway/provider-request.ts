import type {
  JSONSchema7,
  LanguageModelV3CallOptions,
  LanguageModelV3FilePart,
  LanguageModelV3FunctionTool,
  LanguageModelV3Message,
  LanguageModelV3TextPart,
  LanguageModelV3ToolChoice,
  LanguageModelV3ToolResultPart,
} from '@ai-sdk/provider';
import { z } from 'zod';
import { InvalidRequestError } from './errors.js';

/*
 * An OpenAI chat completions body, as a cloud provider backend must read it
 * to rebuild the call for the model layer. Stricter than the gateway's
 * inbound check (which passes unknown fields through to OpenAI-compatible
 * servers): here every field the conversion uses is validated.
 */

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string().min(1) }),
});
const otherPart = z.looseObject({ type: z.string() });
const userContent = z.union([z.string(), z.array(z.union([textPart, imagePart, otherPart]))]);
const plainContent = z.union([z.string(), z.array(z.union([textPart, otherPart]))]).nullish();

const toolCallSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
});

const messageSchema = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: plainContent }),
  z.looseObject({ role: z.literal('developer'), content: plainContent }),
  z.looseObject({ role: z.literal('user'), content: userContent }),
  z.looseObject({
    role: z.literal('assistant'),
    content: plainContent,
    tool_calls: z.array(toolCallSchema).nullish(),
  }),
  z.looseObject({ role: z.literal('tool'), tool_call_id: z.string().min(1), content: plainContent }),
]);

const toolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
});

const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string().min(1) }) }),
]);

const responseFormatSchema = z.union([
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string().optional(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
]);

const chatBodySchema = z.looseObject({
  messages: z.array(messageSchema).min(1),
  tools: z.array(toolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  response_format: responseFormatSchema.nullish(),
  n: z
    .literal(1, { error: 'cloud provider backends return one choice; leave n out or set it to 1' })
    .nullish(),
});

export type ProviderCall = Omit<LanguageModelV3CallOptions, 'abortSignal'>;

/**
 * Rebuilds an OpenAI chat request as a model-layer call: system and
 * developer messages become system turns, image URLs file parts, assistant
 * tool_calls tool-call parts, and tool messages tool results named after the
 * call they answer. Throws InvalidRequestError naming the field it cannot use.
 */
export function toProviderCall(body: Record<string, unknown>, maxTokens: number | undefined): ProviderCall {
  const parsed = chatBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = (issue?.path ?? []).map(String).join('.');
    throw new InvalidRequestError(
      `Invalid request for a cloud provider backend: ${param ? `${param}: ` : ''}${issue?.message ?? 'invalid body'}`,
      param || null,
    );
  }
  const b = parsed.data;
  const call: ProviderCall = { prompt: toPrompt(b.messages) };
  if (maxTokens !== undefined) call.maxOutputTokens = maxTokens;
  if (b.temperature != null) call.temperature = b.temperature;
  if (b.top_p != null) call.topP = b.top_p;
  if (b.presence_penalty != null) call.presencePenalty = b.presence_penalty;
  if (b.frequency_penalty != null) call.frequencyPenalty = b.frequency_penalty;
  if (b.seed != null) call.seed = b.seed;
  if (b.stop != null) call.stopSequences = typeof b.stop === 'string' ? [b.stop] : b.stop;
  if (b.tools?.length) call.tools = b.tools.map(toTool);
  if (b.tool_choice != null) call.toolChoice = toToolChoice(b.tool_choice);
  const format = b.response_format;
  if (format?.type === 'json_object') call.responseFormat = { type: 'json' };
  if (format?.type === 'json_schema') {
    const { name, description, schema } = format.json_schema;
    call.responseFormat = {
      type: 'json',
      ...(schema ? { schema: schema as JSONSchema7 } : {}),
      ...(name ? { name } : {}),
      ...(description ? { description } : {}),
    };
  }
  return call;
}

type Message = z.output<typeof messageSchema>;

function toPrompt(messages: readonly Message[]): LanguageModelV3Message[] {
  const prompt: LanguageModelV3Message[] = [];
  const toolNames = new Map<string, string>();
  for (const m of messages) {
    switch (m.role) {
      case 'system':
      case 'developer':
        prompt.push({ role: 'system', content: textOf(m.content) });
        break;
      case 'user':
        prompt.push({
          role: 'user',
          content: typeof m.content === 'string' ? [text(m.content)] : m.content.flatMap(userPart),
        });
        break;
      case 'assistant': {
        const content: Extract<LanguageModelV3Message, { role: 'assistant' }>['content'] = [];
        const said = textOf(m.content);
        if (said !== '') content.push(text(said));
        for (const tc of m.tool_calls ?? []) {
          toolNames.set(tc.id, tc.function.name);
          content.push({
            type: 'tool-call',
            toolCallId: tc.id,
            toolName: tc.function.name,
            input: parseArguments(tc.function.arguments),
          });
        }
        prompt.push({ role: 'assistant', content });
        break;
      }
      case 'tool': {
        const result: LanguageModelV3ToolResultPart = {
          type: 'tool-result',
          toolCallId: m.tool_call_id,
          toolName: toolNames.get(m.tool_call_id) ?? '',
          output: { type: 'text', value: textOf(m.content) },
        };
        // Consecutive tool messages answer one assistant turn: one tool turn, as providers expect.
        const last = prompt.at(-1);
        if (last?.role === 'tool') last.content.push(result);
        else prompt.push({ role: 'tool', content: [result] });
        break;
      }
    }
  }
  return prompt;
}

function text(value: string): LanguageModelV3TextPart {
  return { type: 'text', text: value };
}

function textOf(content: z.output<typeof plainContent>): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? String(part.text) : '')).join('');
}

function userPart(
  part: z.output<typeof userContent>[number] & object,
): (LanguageModelV3TextPart | LanguageModelV3FilePart)[] {
  if (part.type === 'text') return [text(String(part.text))];
  if (part.type === 'image_url') {
    const url = String((part.image_url as { url: string }).url);
    const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
    if (data) return [{ type: 'file', mediaType: data[1] ?? 'image/*', data: data[2] ?? '' }];
    return [{ type: 'file', mediaType: 'image/*', data: new URL(url) }];
  }
  throw new InvalidRequestError(
    `Content parts of type "${part.type}" cannot be sent to a cloud provider backend; use text or image_url parts.`,
    'messages',
  );
}

/** Arguments as the model wrote them: JSON when they parse, else the raw text (the provider decides). */
function parseArguments(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

function toTool(tool: z.output<typeof toolSchema>): LanguageModelV3FunctionTool {
  const f = tool.function;
  return {
    type: 'function',
    name: f.name,
    inputSchema: (f.parameters ?? { type: 'object', properties: {} }) as JSONSchema7,
    ...(f.description ? { description: f.description } : {}),
    ...(f.strict != null ? { strict: f.strict } : {}),
  };
}

function toToolChoice(choice: z.output<typeof toolChoiceSchema>): LanguageModelV3ToolChoice {
  if (typeof choice === 'string') return { type: choice };
  return { type: 'tool', toolName: choice.function.name };
}
