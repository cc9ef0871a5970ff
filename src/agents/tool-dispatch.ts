import type { LanguageModelV3FunctionTool, LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';
import { z } from 'zod';
import type { CascadeContext } from '../core/context.js';
import { BudgetExceededError, CancelledError, DeadlineExceededError, errorMessage } from '../core/errors.js';
import type { ToolCallRequest } from '../models/model-client.js';
import { clipText } from '../observe/clip-text.js';
import type { Tool } from '../tools/tool.js';
import type { Workspace } from '../tools/workspace.js';

const EVENT_TEXT_LIMIT = 2_000;
const RESULT_LIMIT = 100_000;

/** JSON Schemas of tools, computed once per tool object. */
const schemaCache = new WeakMap<Tool, LanguageModelV3FunctionTool>();

export function toolSpec(tool: Tool): LanguageModelV3FunctionTool {
  let spec = schemaCache.get(tool);
  if (!spec) {
    const { $schema: _ignored, ...inputSchema } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<
      string,
      unknown
    >;
    spec = {
      type: 'function',
      name: tool.name,
      description: tool.description,
      inputSchema: inputSchema as LanguageModelV3FunctionTool['inputSchema'],
    };
    schemaCache.set(tool, spec);
  }
  return spec;
}

/** Failures that concern the whole run: they stop it instead of going back to the model. */
export function isRunFatal(error: unknown): boolean {
  return (
    error instanceof BudgetExceededError ||
    error instanceof DeadlineExceededError ||
    error instanceof CancelledError
  );
}

export interface DispatchedCall {
  output: LanguageModelV3ToolResultOutput;
  ok: boolean;
}

/**
 * Runs one tool call the model asked for. Unknown tools, malformed JSON,
 * arguments that fail validation and errors thrown by the tool all become an
 * error result the model can read and correct; only run-wide guard errors
 * propagate.
 */
export async function dispatchToolCall(
  ctx: CascadeContext,
  tools: ReadonlyMap<string, Tool>,
  call: ToolCallRequest,
  workspace: Workspace,
): Promise<DispatchedCall> {
  const started = performance.now();
  const tool = tools.get(call.name);
  let result: DispatchedCall;
  try {
    ctx.guard();
    if (!tool)
      throw new ToolInputError(`unknown tool "${call.name}"; available: ${[...tools.keys()].join(', ')}`);
    const args = parseArguments(tool, call.input);
    const value = await tool.execute(args, { ctx, signal: ctx.signal, workspace, callId: call.id });
    result = { ok: true, output: toOutput(value) };
    ctx.recordSuccess();
  } catch (error) {
    if (isRunFatal(error)) throw error;
    ctx.recordFailure(error);
    result = { ok: false, output: { type: 'error-text', value: `Error: ${errorMessage(error)}` } };
  }
  ctx.emit('tool.call', {
    tool: call.name,
    callId: call.id,
    args: clipText(call.input, EVENT_TEXT_LIMIT),
    ok: result.ok,
    result: clipText(outputText(result.output), EVENT_TEXT_LIMIT),
    latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
  });
  return result;
}

class ToolInputError extends Error {}

function parseArguments(tool: Tool, input: string): unknown {
  let raw: unknown;
  try {
    raw = input.trim() === '' ? {} : JSON.parse(input);
  } catch (error) {
    throw new ToolInputError(
      `the arguments for ${tool.name} are not valid JSON (${(error as Error).message}); send a JSON object`,
    );
  }
  const parsed = tool.input.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ToolInputError(`invalid arguments for ${tool.name}: ${issues}`);
  }
  return parsed.data;
}

function toOutput(value: unknown): LanguageModelV3ToolResultOutput {
  if (typeof value === 'string') return { type: 'text', value: clipText(value, RESULT_LIMIT) };
  if (value === undefined) return { type: 'text', value: 'done' };
  return { type: 'json', value: value as never };
}

function outputText(output: LanguageModelV3ToolResultOutput): string {
  return 'value' in output
    ? typeof output.value === 'string'
      ? output.value
      : JSON.stringify(output.value)
    : output.type;
}
