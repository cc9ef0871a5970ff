import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuntime } from '../../agents/runtime.js';
import { loadConfig } from '../../core/config.js';
import type { EventBus } from '../../core/events.js';
import type { ModelFactory } from '../../improve/pipeline/options.js';
import { agentSkillModel, IMPROVER_AGENT } from '../../improve/skills/index.js';
import { formatError } from '../action.js';

/** The agents `swarm improve --model` runs: the edit agent and the reviewer. */
export const IMPROVE_AGENTS = { edit: IMPROVER_AGENT, review: 'improve-reviewer' } as const;

/** Manifests shipped with Swarm, used when the configured directory lacks the improve agents. */
const BUNDLED_AGENTS = fileURLToPath(new URL('../../../examples/agents', import.meta.url));

export interface ImproveModel {
  factory: ModelFactory;
  events: EventBus;
  close(): void;
}

/**
 * Wires `--model` for `swarm improve`: the runtime of this process (config,
 * store, model client), and for each candidate a model function that runs
 * the improver or reviewer agent as a child of the run's context, so its
 * guards, budget and cancellation apply and every call is recorded.
 */
export async function openImproveModel(opts: {
  config?: string;
  model?: string;
  agents?: string;
}): Promise<ImproveModel> {
  const config = loadConfig({ cwd: process.cwd(), file: opts.config });
  const configured = opts.agents ?? join(config.root, config.agents);
  const agentsDir = Object.values(IMPROVE_AGENTS).every((name) =>
    ['yaml', 'yml', 'json'].some((ext) => existsSync(join(configured, `${name}.${ext}`))),
  )
    ? configured
    : BUNDLED_AGENTS;
  const runtime = createRuntime({
    config,
    agentsDir,
    ...(opts.model ? { modelOverride: opts.model } : {}),
    onStoreError: (error) => process.stderr.write(formatError(error)),
  });
  for (const name of Object.values(IMPROVE_AGENTS)) runtime.registry.get(name);
  return {
    events: runtime.events,
    factory: (purpose, _candidateId, ctx) =>
      agentSkillModel({ runner: runtime.runner, ctx, agent: IMPROVE_AGENTS[purpose] }),
    close() {
      runtime.store.flush();
      runtime.close();
    },
  };
}
