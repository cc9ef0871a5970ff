import { z } from 'zod';
import { ServerConfigError } from './errors.js';

export const DEFAULT_PORT = 7070;

const keyHash = z
  .string()
  .regex(/^sha256:[\w-]+:[0-9a-f]{64}$/, 'must be a hash printed by `swarm serve --new-key <id>`');

/** The `server:` section of swarm.config.yaml. */
export const serverConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(DEFAULT_PORT),
    /** The salted hash of the API key; the key itself is never stored. */
    apiKeyHash: keyHash.optional(),
    /** Workflow files the dashboard and POST /api/workflows may start, relative to the config. */
    workflows: z.string().min(1).default('workflows'),
    /** Spend limits the cost charts are drawn against. */
    budgets: z.object({ dailyUsd: z.number().positive().optional() }).strict().default({}),
  })
  .strict();

export type ServerConfig = z.infer<typeof serverConfigSchema>;

export function parseServerConfig(raw: unknown): ServerConfig {
  const parsed = serverConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new ServerConfigError(
      parsed.error.issues.map((i) => `server.${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

/** The key hash from the environment or the config; SWARM_SERVER_KEY_HASH wins over the file. */
export function keyHashFrom(config: ServerConfig, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env.SWARM_SERVER_KEY_HASH;
  if (fromEnv !== undefined && fromEnv !== '') {
    const parsed = keyHash.safeParse(fromEnv);
    if (!parsed.success)
      throw new ServerConfigError(`SWARM_SERVER_KEY_HASH ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }
  return config.apiKeyHash;
}
