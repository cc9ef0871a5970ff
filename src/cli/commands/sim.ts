import type { SimCliOptions } from '../../sim/index.js';

/** `swarm sim`: serves until Ctrl-C or SIGTERM, then closes every open stream. */
export async function sim(opts: SimCliOptions): Promise<number> {
  const { runSimCli } = await import('../../sim/index.js');
  const server = await runSimCli(opts, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write('Press Ctrl-C to stop.\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
