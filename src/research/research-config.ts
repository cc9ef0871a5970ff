import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { fetchOptionsSchema } from './arxiv-client.js';

/** The `research:` section of swarm.config.yaml. */
export const researchConfigSchema = z.strictObject({
  /** arXiv API endpoint, request interval (ms, default 3000), retries, page size. */
  fetch: fetchOptionsSchema.prefault({}),
  /** New papers kept per run. */
  top: z.number().int().min(1).max(1000).default(10),
  /** Most papers read from one query. */
  limit: z.number().int().min(1).max(30_000).default(100),
  /** The agent that writes model summaries. */
  agent: z.string().min(1).default('research-summariser'),
  /** Model for summaries; without it (and without defaultModel) summaries are extractive. */
  model: z.string().min(1).optional(),
  /** `swarm research watch`: quiet time after a change to improvements.md before a run. */
  debounceMs: z.number().int().nonnegative().default(500),
});
export type ResearchConfig = z.output<typeof researchConfigSchema>;

export function parseResearchConfig(section: unknown, file: string | undefined): ResearchConfig {
  const parsed = researchConfigSchema.safeParse(section ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    file ?? 'swarm.config.yaml',
    parsed.error.issues.map((i) => ({ path: ['research', ...i.path].join('.'), message: i.message })),
  );
}
