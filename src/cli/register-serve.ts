import type { Command } from 'commander';
import { runAction } from './action.js';
import { port, wholeNumber } from './option-parsers.js';

/** `swarm serve`: the HTTP API and the dashboard. */
export function registerServe(program: Command, globals: () => { config?: string }): void {
  program
    .command('serve')
    .description('serve the HTTP API and the live dashboard (runs, workflows, costs, fleet)')
    .option('-p, --port <n>', 'port (default 7070, or server.port; 0 picks a free one)', port)
    .option('--host <host>', 'interface to bind (default 127.0.0.1; anything else needs an API key)')
    .option('--engine <url>', 'sqlite:<path> (default sqlite:.swarm/swarm.db) or nats://host:4222')
    .option('--store <file>', 'SQLite run store (default .swarm/swarm.db)')
    .option('--agents <dir>', 'manifest directory (default ./agents)')
    .option('--workflows <dir>', 'workflow files the API may start (default ./workflows)')
    .option(
      '-w, --workers <n>',
      'workflow steps run at once in this process (0: leave them to workers)',
      wholeNumber,
      2,
    )
    .option('--gateway [file]', 'also run the gateway in this process and show its backends')
    .option('--no-ui', 'serve only the API, not the dashboard')
    .option('--new-key <id>', 'print a new API key and the hash to configure, then exit')
    .option('--json', 'print the addresses as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ swarm serve                                  dashboard on http://127.0.0.1:7070
  $ swarm serve --new-key ops                    make an API key (needed to bind beyond loopback)
  $ SWARM_SERVER_KEY_HASH=sha256:... swarm serve --host 0.0.0.0`,
    )
    .action((opts) =>
      runAction(async () => (await import('./commands/serve.js')).serve({ ...globals(), ...opts })),
    );
}
