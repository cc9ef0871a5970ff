import type { SwarmConfig } from '../core/config.js';
import { resolvePath } from '../core/config.js';
import { EventBus } from '../core/events.js';
import { discoverServers, McpToolbox, ToolSearchUnavailableError } from '../mcp/index.js';
import { ModelClient } from '../models/model-client.js';
import { localProviders } from '../models/model-ref.js';
import { PriceTable } from '../models/prices.js';
import { createProviderFactory, type LanguageModelFactory } from '../models/providers.js';
import type { ResponseCache } from '../models/response-cache.js';
import type { StoreWriteError } from '../observe/errors.js';
import { configRedactor } from '../observe/observability.js';
import { RunStore } from '../observe/run-store.js';
import { builtinTools } from '../tools/builtins.js';
import { MEMORY_SEARCH_TOOL, memorySearchTool } from '../tools/memory-search.js';
import type { Tool } from '../tools/tool.js';
import { Workspace } from '../tools/workspace.js';
import { AgentRegistry, loadManifestFile, manifestFiles, toolSearchesOf } from './registry.js';
import { AgentRunner } from './runner.js';

export interface Runtime {
  config: SwarmConfig;
  events: EventBus;
  store: RunStore;
  registry: AgentRegistry;
  runner: AgentRunner;
  tools: ReadonlyMap<string, Tool>;
  workspace: Workspace;
  /** The MCP servers and tool index, when opened with openRuntime; close it with `await mcp.close()`. */
  mcp?: McpToolbox;
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
  /** Serves model calls from stored answers and coalesces identical ones in flight (the run command passes memory's). */
  responseCache?: ResponseCache;
  /** Answers manifests' `toolSearch` (openRuntime passes the tool index's answers). */
  resolveToolSearch?: (matching: string, k: number) => readonly string[];
}

/** Wires the pieces of one process: store, event bus, registry, model client, tools, runner. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const { config } = options;
  const tools = new Map<string, Tool>();
  const memory = memorySearchTool({ dir: resolvePath(config, config.memory.dir), root: config.root });
  for (const tool of [...builtinTools(), memory, ...(options.extraTools ?? [])]) tools.set(tool.name, tool);
  let registry = AgentRegistry.fromDirectory(
    resolvePath(config, options.agentsDir ?? config.agents),
    new Set(tools.keys()),
  );
  const searches = registry.toolSearches();
  if (searches.length && !options.resolveToolSearch)
    throw new ToolSearchUnavailableError([...new Set(searches.map((s) => s.agent))]);
  if (options.resolveToolSearch) registry = registry.withToolSearchResults(options.resolveToolSearch);
  const store = new RunStore(resolvePath(config, options.storeFile ?? config.store), {
    ...(options.onStoreError ? { onError: options.onStoreError } : {}),
    redactor: configRedactor(config),
  });
  const events = new EventBus(options.onListenerError);
  const detach = store.attach(events);
  const prices = PriceTable.load(config.prices, localProviders(config));
  const models = new ModelClient(
    options.modelFactory ?? createProviderFactory(),
    prices,
    config.retry,
    options.responseCache,
  );
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
      void memory.close();
      store.close();
    },
  };
}

/**
 * createRuntime with the MCP servers of the config (and the workspace's
 * mcp.json files) connected: their tools join the built-ins, and manifests'
 * `toolSearch` needs are answered from the tool index over all of them.
 * With no server and no `toolSearch`, nothing of MCP is started, so a plain
 * run pays nothing for it.
 */
export async function openRuntime(
  options: RuntimeOptions & { onMcpWarning?: (message: string) => void },
): Promise<Runtime> {
  const { config } = options;
  // Only the searches are read here; createRuntime loads and checks the manifests in full.
  const searches = manifestFiles(resolvePath(config, options.agentsDir ?? config.agents)).flatMap((file) => {
    try {
      return toolSearchesOf(loadManifestFile(file).manifest);
    } catch {
      return [];
    }
  });
  const discovered = discoverServers({
    section: config.mcp,
    workspace: resolvePath(config, config.workspace),
    ...(config.file ? { configFile: config.file } : {}),
  });
  if (searches.length === 0 && discovered.servers.length === 0) return createRuntime(options);
  const mcp = await McpToolbox.open({
    section: config.mcp,
    ...(config.file ? { configFile: config.file } : {}),
    root: config.root,
    workspace: config.workspace,
    localTools: [...builtinTools(), ...(options.extraTools ?? [])],
    ...(options.onMcpWarning ? { onWarning: options.onMcpWarning } : {}),
  });
  try {
    const found = new Map<string, string[]>();
    for (const { matching, k } of searches) {
      found.set(
        `${k}:${matching}`,
        (await mcp.search(matching, k)).map((m) => m.name),
      );
    }
    const runtime = createRuntime({
      ...options,
      extraTools: [...(options.extraTools ?? []), ...mcp.tools()],
      resolveToolSearch: (matching, k) => found.get(`${k}:${matching}`) ?? [],
    });
    return { ...runtime, mcp };
  } catch (error) {
    await mcp.close();
    throw error;
  }
}

/**
 * Every tool name a run of this config can use: the built-ins,
 * `memory_search`, and the tools of its MCP servers (connected only long
 * enough to list them), so `swarm agents validate` accepts what a run does.
 */
export async function availableToolNames(
  config: SwarmConfig,
  onMcpWarning?: (message: string) => void,
): Promise<Set<string>> {
  const names = new Set([...builtinTools().map((t) => t.name), MEMORY_SEARCH_TOOL]);
  const discovered = discoverServers({
    section: config.mcp,
    workspace: resolvePath(config, config.workspace),
    ...(config.file ? { configFile: config.file } : {}),
  });
  if (discovered.servers.length === 0) return names;
  const mcp = await McpToolbox.open({
    section: config.mcp,
    ...(config.file ? { configFile: config.file } : {}),
    root: config.root,
    workspace: config.workspace,
    index: false,
    ...(onMcpWarning ? { onWarning: onMcpWarning } : {}),
  });
  try {
    for (const tool of mcp.tools()) names.add(tool.name);
  } finally {
    await mcp.close();
  }
  return names;
}
