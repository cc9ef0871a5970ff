import { type SwarmProcess, startSwarm } from '../support/swarm-cli.js';

export type { SwarmProcess };

/** The `swarm` command from source (through tsx, no build needed), in `cwd`. */
export function swarmProcess(args: string[], cwd: string, env: Record<string, string> = {}): SwarmProcess {
  return startSwarm(args, { cwd, env, from: 'source' });
}
