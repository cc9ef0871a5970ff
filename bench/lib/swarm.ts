/**
 * Swarm under benchmark: the runtime as `createRuntime` wires it (real
 * manifests on disk, a real SQLite store), with an in-process scripted
 * `LanguageModelV3` in place of the AI SDK providers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { z } from 'zod';
import { executeRun, type StartRunOptions } from '../../src/agents/run.js';
import { createRuntime, type Runtime } from '../../src/agents/runtime.js';
import { loadConfig, type SwarmConfig } from '../../src/core/config.js';
import type { StoreWriteError } from '../../src/observe/errors.js';
import { defineTool } from '../../src/tools/tool.js';
import {
  echo,
  FINAL_TEXT,
  INSTRUCTIONS,
  SCENARIOS,
  type Scenario,
  TOOL_CALLS,
  TOOL_DESCRIPTION,
  TOOL_NAME,
  USAGE,
} from './script.js';

/** How many tool results the model has already seen decides its next reply (stateless, like a real model). */
function toolResultsIn(prompt: LanguageModelV3Prompt): number {
  let n = 0;
  for (const message of prompt) if (message.role === 'tool') n += message.content.length;
  return n;
}

function reply(options: LanguageModelV3CallOptions): LanguageModelV3StreamPart[] {
  const usage = {
    inputTokens: { total: USAGE.input, noCache: USAGE.input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: USAGE.output, text: USAGE.output, reasoning: 0 },
  };
  const done = toolResultsIn(options.prompt);
  if (options.tools?.length && done < TOOL_CALLS) {
    return [
      { type: 'stream-start', warnings: [] },
      { type: 'tool-call', toolCallId: `call_${done}`, toolName: TOOL_NAME, input: `{"n":${done}}` },
      { type: 'finish', usage, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } },
    ];
  }
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't0' },
    { type: 'text-delta', id: 't0', delta: FINAL_TEXT },
    { type: 'text-end', id: 't0' },
    { type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } },
  ];
}

/** Answers at once: every part of the reply is already in the stream when `doStream` returns. */
export const scriptedLanguageModel: LanguageModelV3 = {
  specificationVersion: 'v3',
  provider: 'bench',
  modelId: 'scripted',
  supportedUrls: {},
  async doGenerate() {
    throw new Error('the benchmark model only streams');
  },
  async doStream(options) {
    const parts = reply(options);
    return {
      stream: new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      }),
    };
  },
};

export interface SwarmBenchOptions {
  /** Where the temp directory (manifests, swarm.db) goes; the OS temp dir by default. */
  parentDir?: string;
  /**
   * `file`: the store attached to the bus, as `createRuntime` wires it (the default).
   * `none`: the store is detached before the first run, so nothing is persisted.
   */
  store?: 'file' | 'none';
  /** Pass the options `swarm run` passes (tenant, budget, max depth, deadline, abort signal); default true. */
  cliOptions?: boolean;
}

export interface SwarmBench {
  readonly dir: string;
  readonly storeFile: string;
  readonly runtime: Runtime;
  /** Calls of the benchmark tool so far. */
  readonly toolCalls: number;
  readonly storeErrors: readonly StoreWriteError[];
  /** One run through `executeRun`; throws unless it followed the script. */
  run(scenario: Scenario): Promise<void>;
  /** Writes whatever events the store still buffers (a no-op without a store). */
  flush(): void;
  close(): void;
}

export function startSwarm(options: SwarmBenchOptions = {}): SwarmBench {
  const dir = mkdtempSync(join(options.parentDir ?? tmpdir(), 'swarm-bench-'));
  const agentsDir = join(dir, 'agents');
  mkdirSync(agentsDir);
  for (const scenario of SCENARIOS) {
    writeFileSync(
      join(agentsDir, `${scenario.agent}.json`),
      JSON.stringify({
        name: scenario.agent,
        description: `${scenario.title} benchmark agent`,
        instructions: INSTRUCTIONS,
        tools: scenario.withTool ? [TOOL_NAME] : [],
      }),
    );
  }
  const defaults = loadConfig({ cwd: dir });
  const config: SwarmConfig = {
    ...defaults,
    defaultModel: 'bench:scripted',
    // never contacted (modelFactory replaces the provider); an openai-compatible provider is local, so free
    providers: { bench: { type: 'openai-compatible', baseURL: 'http://127.0.0.1:9/v1' } },
  };
  const storeFile = join(dir, 'swarm.db');
  const storeErrors: StoreWriteError[] = [];
  let toolCalls = 0;
  const tool = defineTool({
    name: TOOL_NAME,
    description: TOOL_DESCRIPTION,
    input: z.object({ n: z.number() }),
    async execute({ n }) {
      toolCalls++;
      return echo(n);
    },
  });
  const modelPromise = Promise.resolve(scriptedLanguageModel);
  const runtime = createRuntime({
    config,
    storeFile,
    agentsDir,
    modelFactory: () => modelPromise,
    extraTools: [tool],
    onStoreError: (error) => storeErrors.push(error),
  });
  if (options.store === 'none') {
    // close() unsubscribes the store from the bus and closes it; the bus and the runner keep working
    runtime.close();
  }
  const cli = options.cliOptions ?? true;
  return {
    dir,
    storeFile,
    runtime,
    get toolCalls() {
      return toolCalls;
    },
    storeErrors,
    async run(scenario) {
      const runOptions: StartRunOptions = {
        agent: scenario.agent,
        task: scenario.task,
        events: runtime.events,
        runner: runtime.runner,
      };
      if (cli) {
        // what src/cli/commands/run.ts passes
        Object.assign(runOptions, {
          tenantId: config.tenant,
          budget: { ...config.budget },
          maxDepth: config.limits.maxDepth,
          timeoutSeconds: config.limits.timeoutSeconds,
          signal: new AbortController().signal,
        });
      }
      const outcome = await executeRun(runOptions);
      if (outcome.outcome !== 'succeeded')
        throw new Error(`swarm run ${outcome.outcome}: ${String(outcome.error)}`);
      if (outcome.steps !== scenario.modelCalls || outcome.output !== FINAL_TEXT) {
        throw new Error(
          `swarm run took ${outcome.steps} steps and answered ${JSON.stringify(outcome.output)}`,
        );
      }
    },
    flush() {
      if (options.store !== 'none') runtime.store.flush();
    },
    close() {
      if (options.store !== 'none') runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
