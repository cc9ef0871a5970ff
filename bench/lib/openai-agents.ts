/**
 * OpenAI Agents JS (`@openai/agents-core`, a benchmark-only dev dependency)
 * under benchmark: `Runner.run` with tracing disabled and a minimal scripted
 * `Model` that follows the same script as Swarm's.
 */
import {
  Agent,
  type AgentInputItem,
  type AgentOutputItem,
  type Model,
  type ModelRequest,
  type ModelResponse,
  Runner,
  type StreamEvent,
  setTracingDisabled,
  tool,
  Usage,
} from '@openai/agents-core';
import { z } from 'zod';
import {
  echo,
  FINAL_TEXT,
  INSTRUCTIONS,
  type Scenario,
  TOOL_CALLS,
  TOOL_DESCRIPTION,
  TOOL_NAME,
  USAGE,
} from './script.js';

function isToolResult(item: AgentInputItem): boolean {
  return item.type === 'function_call_result';
}

/** Answers at once; like Swarm's, its reply depends only on how many tool results it has seen. */
export class ScriptedAgentsModel implements Model {
  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const done = typeof request.input === 'string' ? 0 : request.input.filter(isToolResult).length;
    const output: AgentOutputItem[] =
      request.tools.length && done < TOOL_CALLS
        ? [
            {
              type: 'function_call',
              id: `fc_${done}`,
              callId: `call_${done}`,
              name: TOOL_NAME,
              arguments: `{"n":${done}}`,
              status: 'completed',
            },
          ]
        : [
            {
              type: 'message',
              id: 'msg_0',
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text: FINAL_TEXT }],
            },
          ];
    return {
      usage: new Usage({
        requests: 1,
        inputTokens: USAGE.input,
        outputTokens: USAGE.output,
        totalTokens: USAGE.input + USAGE.output,
      }),
      output,
    };
  }

  // biome-ignore lint/correctness/useYield: never called, the benchmark's runs are not streamed
  async *getStreamedResponse(): AsyncIterable<StreamEvent> {
    throw new Error('the benchmark model does not stream');
  }
}

export interface OpenAIBench {
  /** Calls of the benchmark tool so far. */
  readonly toolCalls: number;
  /** One `runner.run`; throws unless it followed the script. */
  run(scenario: Scenario): Promise<void>;
}

export function startOpenAIAgents(): OpenAIBench {
  setTracingDisabled(true);
  const model = new ScriptedAgentsModel();
  const runner = new Runner({ tracingDisabled: true });
  let toolCalls = 0;
  const echoTool = tool({
    name: TOOL_NAME,
    description: TOOL_DESCRIPTION,
    parameters: z.object({ n: z.number() }),
    async execute({ n }) {
      toolCalls++;
      return echo(n);
    },
  });
  const chatAgent = new Agent({ name: 'bench-chat', instructions: INSTRUCTIONS, model });
  const toolsAgent = new Agent({ name: 'bench-tools', instructions: INSTRUCTIONS, model, tools: [echoTool] });
  return {
    get toolCalls() {
      return toolCalls;
    },
    async run(scenario) {
      // the default maxTurns (10) is one short of 10 tool calls plus the answer
      const result = await runner.run(scenario.withTool ? toolsAgent : chatAgent, scenario.task, {
        maxTurns: 20,
      });
      if (result.finalOutput !== FINAL_TEXT)
        throw new Error(`openai run answered ${String(result.finalOutput)}`);
    },
  };
}
