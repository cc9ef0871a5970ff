import { z } from 'zod';
import { SimOptionError } from './errors.js';
import { loadScenario, parseScenario } from './scenario.js';
import { type SimServer, startSim } from './server.js';

export interface SimCliOptions {
  /** Scenario file; without one every request gets its last user message back. */
  scenario?: string;
  host: string;
  port: number;
  apiKey?: string;
  metricsStyle?: string;
  allowRemote?: boolean;
}

const metricsStyleSchema = z.enum(['v1', 'v0']).default('v1');

/** `swarm sim`: starts the simulator and prints one line saying where it listens and what it plays. */
export async function runSimCli(options: SimCliOptions, out: (line: string) => void): Promise<SimServer> {
  const style = metricsStyleSchema.safeParse(options.metricsStyle);
  if (!style.success) {
    throw new SimOptionError(
      `unknown metrics style "${options.metricsStyle}"`,
      'Use --metrics-style v1 (current vLLM names) or v0 (older names such as vllm:gpu_cache_usage_perc).',
    );
  }
  const scenario = options.scenario
    ? loadScenario(options.scenario)
    : parseScenario({ name: 'echo', rules: [{ reply: { content: '{{lastUser}}' } }] });
  const sim = await startSim({
    scenario,
    host: options.host,
    port: options.port,
    metricsStyle: style.data,
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.allowRemote === undefined ? {} : { allowRemote: options.allowRemote }),
  });
  const auth = (options.apiKey ?? scenario.apiKey) === undefined ? 'no API key' : 'API key required';
  out(
    `swarm sim: scenario "${scenario.name}" (models: ${scenario.models.join(', ')}; ${auth}) ` +
      `listening on ${sim.url}; OpenAI base URL ${sim.baseURL}`,
  );
  return sim;
}
