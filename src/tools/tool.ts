import type { z } from 'zod';
import type { CascadeContext } from '../core/context.js';
import type { Workspace } from './workspace.js';

/** What a tool's `execute` receives besides its validated arguments. */
export interface ToolCallContext {
  /** The calling agent's context: lineage, budget, abort signal. */
  ctx: CascadeContext;
  /** Aborts when the run (or an ancestor) is cancelled; long tools must honour it. */
  signal: AbortSignal;
  workspace: Workspace;
  callId: string;
  /** Present when the call runs as a durable workflow step: side effects recorded against the step's idempotency key. */
  effects?: EffectLedger;
}

/**
 * Records side effects so that a step delivered again (after a worker died)
 * does not repeat one that already happened: `once` runs the effect the first
 * time and returns the recorded result every later time.
 */
export interface EffectLedger {
  once<T>(key: string, effect: () => Promise<T>): Promise<T>;
}

/**
 * A typed tool. Arguments are validated with `input` before `execute` runs;
 * the model sees `input` converted to JSON Schema. A thrown error goes back
 * to the model as an error result, it never crashes the run.
 */
export interface Tool<S extends z.ZodType = z.ZodType> {
  /** Letters, digits, `_` and `-`, at most 64 characters (what every provider accepts). */
  readonly name: string;
  readonly description: string;
  readonly input: S;
  /** True when the tool changes something outside the run (files, processes, the network). */
  readonly sideEffects?: boolean;
  execute(args: z.output<S>, call: ToolCallContext): Promise<unknown>;
}

export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function defineTool<S extends z.ZodType>(tool: Tool<S>): Tool<S> {
  if (!TOOL_NAME.test(tool.name)) {
    throw new Error(`tool name "${tool.name}" must match ${TOOL_NAME} (letters, digits, _ and -)`);
  }
  return tool;
}
