import { resolvePath } from '../../core/config.js';
import { InvalidInputError } from '../errors.js';
import { printJson } from '../format.js';
import { type EngineCommandOptions, openEngineContext } from './engine-context.js';

export interface ServeCommandOptions extends EngineCommandOptions {
  host?: string;
  port?: number;
  workers: number;
  workflows?: string;
  gateway?: string | boolean;
  ui?: boolean;
  newKey?: string;
  json?: boolean;
}

const KEY_ID = /^[\w-]{1,64}$/;

/**
 * `swarm serve`: the HTTP API and the dashboard, with a workflow worker and
 * optionally the gateway in the same process, until Ctrl-C or SIGTERM.
 */
export async function serve(opts: ServeCommandOptions): Promise<number> {
  const server = await import('../../server/index.js');
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (opts.newKey !== undefined) {
    if (!KEY_ID.test(opts.newKey)) {
      throw new InvalidInputError(
        `"${opts.newKey}" cannot be a key id: use 1 to 64 letters, digits, "_" or "-"`,
      );
    }
    const { key, hash } = server.newApiKey(opts.newKey);
    out(
      'Key (give it to the dashboard and API clients; only its hash is kept, so it cannot be shown again):',
    );
    out(`  ${key}`);
    out('Put the hash in swarm.config.yaml (or in the SWARM_SERVER_KEY_HASH environment variable):');
    out('  server:');
    out(`    apiKeyHash: ${hash}`);
    return 0;
  }
  const ctx = await openEngineContext(opts);
  let gateway: Awaited<ReturnType<typeof startInProcessGateway>> | undefined;
  try {
    if (opts.gateway) gateway = await startInProcessGateway(opts.gateway);
    const running = await server.startServer({
      runtime: ctx.runtime,
      agentsDir: resolvePath(ctx.config, opts.agents ?? ctx.config.agents),
      serverConfig: ctx.config.server,
      ...(opts.host === undefined ? {} : { host: opts.host }),
      ...(opts.port === undefined ? {} : { port: opts.port }),
      workflows: {
        engine: ctx.engine,
        backend: ctx.backend,
        workers: opts.workers,
        ...(opts.workflows ? { dir: resolvePath(ctx.config, opts.workflows) } : {}),
      },
      ...(gateway ? { gateway } : {}),
      ...(opts.ui === false ? { webDir: false as const } : {}),
    });
    const auth = running.deps.config.apiKeyHash || process.env.SWARM_SERVER_KEY_HASH ? 'required' : 'off';
    if (opts.json) {
      printJson({
        url: running.url,
        api: `${running.url}/api`,
        openapi: `${running.url}/openapi.json`,
        auth,
      });
    } else {
      out(
        `swarm serve: ${opts.ui === false ? 'API' : `dashboard ${running.url}/ ·`} API ${running.url}/api · ` +
          `OpenAPI ${running.url}/openapi.json · engine ${ctx.backend.location} · ` +
          `${opts.workers} workflow workers · API key ${auth}` +
          (gateway ? ` · gateway ${gateway.url}` : ''),
      );
      out('Press Ctrl-C to stop.');
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await running.close();
    return 0;
  } finally {
    await gateway?.close();
    await ctx.close();
  }
}

async function startInProcessGateway(file: string | boolean) {
  const gw = await import('../../gateway/index.js');
  const { config } = gw.loadGatewayConfig({
    cwd: process.cwd(),
    file: typeof file === 'string' ? file : undefined,
  });
  const running = await gw.startGateway({ config });
  const secrets = running.config.backends
    .map((b) => (b.apiKeyEnv ? process.env[b.apiKeyEnv] : undefined))
    .filter((v): v is string => v !== undefined && v !== '');
  return { url: running.url, backends: () => running.backends(), secrets, close: () => running.close() };
}
