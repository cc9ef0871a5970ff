import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { executeRun, type RunOutcome } from '../../src/agents/run.js';
import { createRuntime, type Runtime } from '../../src/agents/runtime.js';
import type { BudgetLimits } from '../../src/core/budget-ledger.js';
import { configSchema, type SwarmConfig } from '../../src/core/config.js';
import type { AnyEvent } from '../../src/core/events.js';
import { type ScenarioInput, type SimServer, startSim } from '../../src/sim/index.js';
import type { Tool } from '../../src/tools/tool.js';

export interface HarnessOptions {
  scenario: ScenarioInput;
  /** Manifests by agent name; `model` defaults to the simulator's model. */
  agents: Record<string, Record<string, unknown>>;
  config?: Record<string, unknown>;
  tools?: Tool[];
  /** Files to create in the workspace. */
  files?: Record<string, string>;
}

export interface Harness {
  sim: SimServer;
  runtime: Runtime;
  dir: string;
  workspace: string;
  events: AnyEvent[];
  run(
    agent: string,
    task: string,
    options?: { budget?: BudgetLimits; timeoutSeconds?: number; signal?: AbortSignal; maxDepth?: number },
  ): Promise<RunOutcome>;
  close(): Promise<void>;
}

/**
 * A real simulator on a free port, real manifests on disk, a real SQLite
 * store in a temp directory, and the runtime wired as the CLI wires it: the
 * AI SDK's OpenAI-compatible provider talks to the simulator over HTTP.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-test-'));
  const sim = await startSim({ scenario: options.scenario });
  const agentsDir = join(dir, 'agents');
  const workspace = join(dir, 'workspace');
  writeTree(workspace, options.files ?? { 'README.md': '# fixture\n' });
  writeTree(agentsDir, {});
  for (const [name, manifest] of Object.entries(options.agents)) {
    writeFileSync(
      join(agentsDir, `${name}.yaml`),
      stringify({
        name,
        description: `${name} agent`,
        instructions: `You are ${name}.`,
        model: 'sim:sim-model',
        ...manifest,
      }),
    );
  }
  const parsed = configSchema.parse({
    providers: { sim: { type: 'openai-compatible', baseURL: sim.baseURL } },
    retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
    ...options.config,
  });
  const config: SwarmConfig = {
    ...parsed,
    store: join(dir, 'swarm.db'),
    agents: agentsDir,
    workspace,
    file: undefined,
    root: dir,
  };
  const runtime = createRuntime({ config, ...(options.tools ? { extraTools: options.tools } : {}) });
  const events: AnyEvent[] = [];
  runtime.events.subscribe((e) => events.push(e));
  return {
    sim,
    runtime,
    dir,
    workspace,
    events,
    run: (agent, task, runOptions = {}) =>
      executeRun({ agent, task, events: runtime.events, runner: runtime.runner, ...runOptions }),
    async close() {
      runtime.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function writeTree(root: string, files: Record<string, string>): void {
  mkdirSync(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
}

/** The messages the simulator received in its Nth chat request (1-based). */
export function chatRequest(sim: SimServer, n: number): { messages: { role: string; content: unknown }[] } {
  const chats = sim.requests().filter((r) => r.path === '/v1/chat/completions');
  const req = chats[n - 1];
  if (!req) throw new Error(`the simulator received only ${chats.length} chat requests`);
  return req.body as { messages: { role: string; content: unknown }[] };
}

export function chatCount(sim: SimServer): number {
  return sim.requests().filter((r) => r.path === '/v1/chat/completions').length;
}
