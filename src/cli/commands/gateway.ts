import type { GatewayRequestEvent } from '../../gateway/index.js';

export interface GatewayCommandOptions {
  config?: string;
  host?: string;
  port?: number;
  newKey?: string;
  events?: boolean;
  store?: string;
}

const KEY_ID = /^[\w-]{1,64}$/;

/**
 * `swarm gateway`: serves the OpenAI-compatible fleet balancer until Ctrl-C
 * or SIGTERM. With --new-key it only prints a fresh virtual key and the
 * hashed entry for the config, and exits.
 */
export async function gateway(opts: GatewayCommandOptions): Promise<number> {
  const gw = await import('../../gateway/index.js');
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (opts.newKey !== undefined) {
    if (!KEY_ID.test(opts.newKey)) {
      throw new gw.GatewayOptionError(
        `"${opts.newKey}" cannot be a key id`,
        'Use 1 to 64 letters, digits, "_" or "-", e.g. --new-key team-a.',
      );
    }
    const { key, hash } = gw.newApiKey(opts.newKey);
    out('Key (give it to the client; only its hash is kept, so it cannot be shown again):');
    out(`  ${key}`);
    out('Add this under keys: in the gateway config:');
    out(`  - id: ${opts.newKey}`);
    out(`    hash: ${hash}`);
    out('    tenant: default');
    return 0;
  }
  const { config, file } = gw.loadGatewayConfig({ cwd: process.cwd(), file: opts.config });
  const { bus, store } = await openEventStore(opts.store);
  const server = await gw.startGateway({
    config,
    bus,
    ...(opts.host === undefined ? {} : { host: opts.host }),
    ...(opts.port === undefined ? {} : { port: opts.port }),
  });
  const models = [...new Set(config.backends.flatMap((b) => gw.aliasesOf(b)))];
  const keys =
    config.keys.length === 0
      ? 'no keys configured: anyone who can reach it may use it'
      : `${config.keys.length} keys`;
  out(
    `swarm gateway: ${file}: ${config.backends.length} backends, models ${models.join(', ')}; ${keys}; ` +
      `listening on ${server.url}; OpenAI base URL ${server.baseURL}; ` +
      `key state on ${config.state.engine}; requests recorded in ${store.file}`,
  );
  if (opts.events) server.events.subscribe((event: GatewayRequestEvent) => out(JSON.stringify(event)));
  out('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  store.close();
  return 0;
}

/** The run store the gateway's request events go to, with the swarm config's secret redaction. */
async function openEventStore(file: string | undefined) {
  const [{ EventBus, loadConfig, resolvePath }, { RunStore, configRedactor }] = await Promise.all([
    import('../../core/index.js'),
    import('../../observe/index.js'),
  ]);
  const swarmConfig = loadConfig({ cwd: process.cwd() });
  const path = resolvePath(swarmConfig, file ?? swarmConfig.store);
  const store = new RunStore(path, { redactor: configRedactor(swarmConfig) });
  const bus = new EventBus();
  store.attach(bus);
  return { bus, store: { file: path, close: () => store.close() } };
}
