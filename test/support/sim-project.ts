import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/**
 * A project directory whose `swarm.config.yaml` points the default model at
 * a simulator, with one-line agent manifests in `agents/`: what the tests
 * that run the real `swarm` command start from.
 */
export function writeSimProject(
  dir: string,
  simBaseURL: string,
  options: {
    config?: Record<string, unknown>;
    agents?: Record<string, { description: string; instructions: string }>;
  },
): void {
  mkdirSync(join(dir, 'agents'), { recursive: true });
  writeFileSync(
    join(dir, 'swarm.config.yaml'),
    stringify({
      defaultModel: 'sim:sim-model',
      providers: { sim: { type: 'openai-compatible', baseURL: simBaseURL } },
      ...options.config,
    }),
  );
  for (const [name, manifest] of Object.entries(options.agents ?? {}))
    writeFileSync(join(dir, 'agents', `${name}.yaml`), stringify({ name, ...manifest }));
}
