import type { SwarmConfig } from '../core/config.js';
import { resolvePath } from '../core/config.js';
import { EventBus } from '../core/events.js';
import { ModelClient } from '../models/model-client.js';
import { localProviders } from '../models/model-ref.js';
import { PriceTable } from '../models/prices.js';
import { createProviderFactory, type LanguageModelFactory } from '../models/providers.js';
import type { StoreWriteError } from '../observe/errors.js';
import { RunStore } from '../observe/run-store.js';
import { builtinTools } from '../tools/builtins.js';
import type { Tool } from '../tools/tool.js';
import { Workspace } from '../tools/workspace.js';
import { AgentRegistry } from './registry.js';
import { AgentRunner } from './runner.js';

export interface Runtime {
  config: SwarmConfig;
  events: EventBus;
  store: RunStore;
  registry: AgentRegistry;
  runner: AgentRunner;
  tools: ReadonlyMap<string, Tool>;
  workspace: Workspace;
  close(): void;
}

export interface RuntimeOptions {
  config: SwarmConfig;
  /** Overrides config.store. */
  storeFile?: string;
  /** Overrides config.agents. */
  agentsDir?: string;
  /** For tests and benchmarks: a model factory other than the AI SDK providers. */
  modelFactory?: LanguageModelFactory;
  extraTools?: readonly Tool[];
  modelOverride?: string;
  onStoreError?: (error: StoreWriteError) => void;
  onListenerError?: (error: unknown) => void;
}

/** Wires the pieces of one process: store, event bus, registry, model client, tools, runner. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const { config } = options;
  const tools = new Map<string, Tool>();
  for (const tool of [...builtinTools(), ...(options.extraTools ?? [])]) tools.set(tool.name, tool);
  const registry = AgentRegistry.fromDirectory(
    resolvePath(config, options.agentsDir ?? config.agents),
    new Set(tools.keys()),
  );
  const store = new RunStore(resolvePath(config, options.storeFile ?? config.store), {
    ...(options.onStoreError ? { onError: options.onStoreError } : {}),
  });
  const events = new EventBus(options.onListenerError);
  const detach = store.attach(events);
  const prices = PriceTable.load(config.prices, localProviders(config));
  const models = new ModelClient(options.modelFactory ?? createProviderFactory(), prices, config.retry);
  const workspace = new Workspace(resolvePath(config, config.workspace));
  const runner = new AgentRunner({
    config,
    registry,
    models,
    tools,
    workspace,
    ...(options.modelOverride ? { modelOverride: options.modelOverride } : {}),
  });
  return {
    config,
    events,
    store,
    registry,
    runner,
    tools,
    workspace,
    close() {
      detach();
      store.close();
    },
  };
}
