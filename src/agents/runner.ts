import type {
  LanguageModelV3FunctionTool,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
} from '@ai-sdk/provider';
import type { SwarmConfig } from '../core/config.js';
import type { CascadeContext } from '../core/context.js';
import { errorMessage, GuardError, isSwarmError } from '../core/errors.js';
import type { ModelClient } from '../models/model-client.js';
import { type ModelTarget, resolveModels } from '../models/model-ref.js';
import type { Tool } from '../tools/tool.js';
import type { Workspace } from '../tools/workspace.js';
import { delegationTool } from './delegation.js';
import { MaxStepsError, StructuredOutputError } from './errors.js';
import type { AgentManifest } from './manifest.js';
import type { AgentRegistry } from './registry.js';
import { OutputValidator } from './structured-output.js';
import { dispatchToolCall, toolSpec } from './tool-dispatch.js';

export interface RunnerDeps {
  config: SwarmConfig;
  registry: AgentRegistry;
  models: ModelClient;
  /** Every tool an agent may name in its manifest. */
  tools: ReadonlyMap<string, Tool>;
  workspace: Workspace;
  /** A model used by every agent instead of its manifest's (`swarm run --model`). */
  modelOverride?: string;
}

export interface AgentResult {
  output: string;
  /** The parsed answer when the manifest has an output schema. */
  structured?: unknown;
  steps: number;
}

interface PreparedAgent {
  manifest: AgentManifest;
  models: ModelTarget[];
  tools: Map<string, Tool>;
  specs: LanguageModelV3FunctionTool[];
  validator: OutputValidator | undefined;
}

/**
 * The tool loop: call the model, run the tools it asks for, feed the results
 * back, until it answers without tools, runs out of steps, or a guard trips.
 */
export class AgentRunner {
  private readonly prepared = new Map<string, PreparedAgent>();

  constructor(private readonly deps: RunnerDeps) {}

  /** Runs the agent named by `ctx.agent` on `task`, recording its node from start to finish. */
  async run(ctx: CascadeContext, task: string): Promise<AgentResult> {
    ctx.emit('agent.started', {
      task,
      fingerprint: ctx.fingerprint,
      ...(ctx.parentNodeId === undefined ? {} : { parentNodeId: ctx.parentNodeId }),
    });
    try {
      const result = await this.loop(ctx, this.prepare(ctx.agent), task);
      ctx.emit('agent.finished', { outcome: 'succeeded', output: result.output });
      return result;
    } catch (error) {
      const guard = error instanceof GuardError ? error.guard : undefined;
      ctx.emit('agent.finished', {
        outcome: guard === 'cancelled' ? 'cancelled' : 'failed',
        error: errorMessage(error),
        ...(isSwarmError(error) ? { errorCode: error.code } : {}),
        ...(guard ? { guard } : {}),
      });
      throw error;
    }
  }

  private async loop(ctx: CascadeContext, agent: PreparedAgent, task: string): Promise<AgentResult> {
    const { manifest } = agent;
    const maxSteps = manifest.limits.maxSteps ?? this.deps.config.limits.maxSteps;
    const messages: LanguageModelV3Prompt = [
      { role: 'system', content: systemPrompt(manifest) },
      { role: 'user', content: [{ type: 'text', text: task }] },
    ];
    for (let step = 1; step <= maxSteps; step++) {
      const reply = await this.deps.models.call(ctx, {
        models: agent.models,
        prompt: messages,
        maxOutputTokens: manifest.maxTokens ?? this.deps.config.limits.maxOutputTokens,
        ...(manifest.temperature === undefined ? {} : { temperature: manifest.temperature }),
        ...(agent.specs.length ? { tools: agent.specs } : {}),
        ...(manifest.output
          ? {
              responseFormat: {
                type: 'json' as const,
                schema: manifest.output.schema as never,
                ...(manifest.output.name ? { name: manifest.output.name } : {}),
              },
            }
          : {}),
      });
      ctx.emit('agent.step', {
        step,
        finishReason: reply.finishReason,
        toolCalls: reply.toolCalls.length,
        text: reply.text.slice(0, 2_000),
      });
      const assistant: LanguageModelV3Message = {
        role: 'assistant',
        content: [
          ...(reply.text ? [{ type: 'text' as const, text: reply.text }] : []),
          ...reply.toolCalls.map((c) => ({
            type: 'tool-call' as const,
            toolCallId: c.id,
            toolName: c.name,
            input: safeJson(c.input),
          })),
        ],
      };
      messages.push(assistant);
      if (reply.toolCalls.length === 0) {
        if (!agent.validator) return { output: reply.text, steps: step };
        const checked = agent.validator.check(reply.text);
        if (checked.ok) return { output: reply.text, structured: checked.value, steps: step };
        if (step === maxSteps) throw new StructuredOutputError(manifest.name, checked.error);
        messages.push({
          role: 'user',
          content: [
            {
              type: 'text',
              text: `Your answer does not match the required JSON schema: ${checked.error}. Reply with only the corrected JSON.`,
            },
          ],
        });
        continue;
      }
      const results = await Promise.all(
        reply.toolCalls.map((call) => dispatchToolCall(ctx, agent.tools, call, this.deps.workspace)),
      );
      messages.push({
        role: 'tool',
        content: reply.toolCalls.map((call, i) => ({
          type: 'tool-result' as const,
          toolCallId: call.id,
          toolName: call.name,
          output: results[i]!.output,
        })),
      });
    }
    throw new MaxStepsError(manifest.name, maxSteps);
  }

  private prepare(name: string): PreparedAgent {
    let agent = this.prepared.get(name);
    if (agent) return agent;
    const manifest = this.deps.registry.get(name);
    const tools = new Map<string, Tool>();
    for (const toolName of manifest.tools) {
      const tool = this.deps.tools.get(toolName);
      if (tool) tools.set(tool.name, tool);
    }
    for (const delegate of manifest.delegates) {
      const tool = delegationTool(this.deps.registry.get(delegate), (child, task) => this.run(child, task));
      tools.set(tool.name, tool);
    }
    agent = {
      manifest,
      models: resolveModels(this.deps.config, this.deps.modelOverride ?? manifest.model, manifest.name),
      tools,
      specs: [...tools.values()].map(toolSpec),
      validator: manifest.output ? new OutputValidator(manifest.output.schema) : undefined,
    };
    this.prepared.set(name, agent);
    return agent;
  }
}

function systemPrompt(manifest: AgentManifest): string {
  if (!manifest.output) return manifest.instructions;
  return `${manifest.instructions}\n\nYour final answer must be a single JSON value matching this JSON Schema, with no other text:\n${JSON.stringify(manifest.output.schema)}`;
}

/** The assistant message keeps the model's own arguments; unparseable ones are kept as text. */
function safeJson(input: string): unknown {
  try {
    return input.trim() === '' ? {} : JSON.parse(input);
  } catch {
    return input;
  }
}
