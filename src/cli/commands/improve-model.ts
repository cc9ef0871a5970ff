import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuntime } from '../../agents/runtime.js';
import { loadConfig, resolvePath, type SwarmConfig } from '../../core/config.js';
import { EventBus } from '../../core/events.js';
import type { ModelFactory } from '../../improve/pipeline/options.js';
import { agentSkillModel, IMPROVER_AGENT } from '../../improve/skills/index.js';
import { startObservability } from '../../observe/observability.js';
import { RunStore } from '../../observe/run-store.js';
import { formatError } from '../action.js';
import { observeRuntime } from './observability.js';

/** The agents `swarm improve --model` runs: the edit agent and the reviewer. */
export const IMPROVE_AGENTS = { edit: IMPROVER_AGENT, review: 'improve-reviewer' } as const;

/** Manifests shipped with Swarm, used when the configured directory lacks the improve agents. */
const BUNDLED_AGENTS = fileURLToPath(new URL('../../../examples/agents', import.meta.url));

export interface ImproveSession {
  events: EventBus;
  /** Present with `--model`. */
  model?: ModelFactory;
  close(): Promise<void>;
}

/**
 * What `swarm improve` records to and asks: the run store and the audit log
 * (and tracing) get the run's events; with `--model`, the runtime of this
 * process, whose improver and reviewer agents run as children of the run's
 * context, so their guards, budget and cancellation apply.
 */
export async function openImproveSession(opts: {
  config?: string;
  model?: string;
  agents?: string;
}): Promise<ImproveSession> {
  const config = loadConfig({ cwd: process.cwd(), file: opts.config });
  const onStoreError = (error: Error) => process.stderr.write(formatError(error));
  if (!opts.model) {
    const events = new EventBus();
    const store = new RunStore(resolvePath(config, config.store), { onError: onStoreError });
    const detach = store.attach(events);
    const observability = await startObservability({ events, config, onAuditError: onStoreError });
    return {
      events,
      async close() {
        await observability.close();
        detach();
        store.close();
      },
    };
  }
  const runtime = createRuntime({
    config,
    agentsDir: agentsDir(config, opts.agents),
    modelOverride: opts.model,
    onStoreError,
  });
  for (const name of Object.values(IMPROVE_AGENTS)) runtime.registry.get(name);
  const observability = await observeRuntime(runtime);
  return {
    events: runtime.events,
    model: (purpose, _candidateId, ctx) =>
      agentSkillModel({ runner: runtime.runner, ctx, agent: IMPROVE_AGENTS[purpose] }),
    async close() {
      await observability.close();
      runtime.store.flush();
      runtime.close();
    },
  };
}

/** `--agents`, else the configured directory when it has both improve agents, else the bundled ones. */
function agentsDir(config: SwarmConfig, given: string | undefined): string {
  const configured = given ?? resolvePath(config, config.agents);
  const complete = Object.values(IMPROVE_AGENTS).every((name) =>
    ['yaml', 'yml', 'json'].some((ext) => existsSync(join(configured, `${name}.${ext}`))),
  );
  return complete ? configured : BUNDLED_AGENTS;
}
