import pc from 'picocolors';
import { openRuntime, type Runtime, type RuntimeOptions } from '../../agents/runtime.js';
import { ResponseCache } from '../../memory/index.js';

/**
 * The runtime a command runs agents with: the config's MCP servers connected
 * (when there are any), and memory's response cache serving and coalescing
 * model calls unless `memory.responseCache: false`.
 */
export function openCommandRuntime(options: RuntimeOptions): Promise<Runtime> {
  const cacheOptions = options.config.memory.responseCache;
  return openRuntime({
    ...(cacheOptions === false
      ? {}
      : { responseCache: new ResponseCache(cacheOptions === true ? {} : cacheOptions) }),
    onMcpWarning: (message) => process.stderr.write(`${pc.yellow('warning:')} ${message}\n`),
    ...options,
  });
}

/** Closes the runtime and stops its MCP servers. */
export async function closeCommandRuntime(runtime: Runtime): Promise<void> {
  runtime.close();
  await runtime.mcp?.close();
}
