import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { loadConfig } from '../../core/config.js';
import { runWithConfig } from './run.js';

/** examples/ sits at the package root, three levels above both src/cli/commands and dist/cli/commands. */
const examples = (path: string) => fileURLToPath(new URL(`../../../examples/${path}`, import.meta.url));

export const DEMO_TASK = 'Add a --verbose flag to the CLI that prints each step as it runs.';

/**
 * The quick start: the example planner, coder and reviewer, run for real
 * (runner, tools, delegation, store) against `swarm sim` serving the scripted
 * replies of examples/scenarios/demo.yaml.
 */
export async function demo(opts: { config?: string; json?: boolean }): Promise<number> {
  const { startSim } = await import('../../sim/index.js');
  const sim = await startSim({ scenario: examples('scenarios/demo.yaml') });
  try {
    const base = loadConfig({ cwd: process.cwd(), file: opts.config });
    const config = {
      ...base,
      providers: { ...base.providers, sim: { type: 'openai-compatible' as const, baseURL: sim.baseURL } },
      models: { ...base.models, local: 'sim:sim-model' },
      agents: examples('agents'),
    };
    if (!opts.json) {
      process.stderr.write(
        `${pc.bold('swarm demo')}: planner → coder, reviewer on "${DEMO_TASK}"\n` +
          pc.dim(
            `The model replies are scripted (examples/scenarios/demo.yaml), served by swarm sim at ${sim.baseURL};\n` +
              'everything else is real: the runner, tools on this directory, delegation, budgets and the store.\n\n',
          ),
      );
    }
    return await runWithConfig(config, {
      agent: 'planner',
      task: DEMO_TASK,
      ...(opts.json ? { json: true } : {}),
    });
  } finally {
    await sim.close();
  }
}
