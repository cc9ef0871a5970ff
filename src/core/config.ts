import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { parseStructured } from './structured-file.js';

export const CONFIG_FILE = 'swarm.config.yaml';

export const PROVIDER_TYPES = [
  'openai-compatible',
  'openai',
  'anthropic',
  'google',
  'bedrock',
  'azure',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

const providerSchema = z
  .object({
    type: z.enum(PROVIDER_TYPES),
    baseURL: z.url().optional(),
    /** Name of the environment variable holding the key; the key itself never goes in the file. */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as OPENAI_API_KEY')
      .optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Azure resource name, Bedrock region. */
    resourceName: z.string().optional(),
    region: z.string().optional(),
    /** Send JSON Schemas as `response_format: json_schema` (vLLM, llama.cpp, Ollama, LM Studio do); false sends json_object. */
    structuredOutputs: z.boolean().optional(),
    /** Local servers cost nothing: every model of this provider is priced at zero unless listed in prices. */
    local: z.boolean().optional(),
  })
  .strict();
export type ProviderConfig = z.infer<typeof providerSchema>;

/** USD per million tokens, the unit every price list uses. */
export const priceSchema = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cachedInput: z.number().nonnegative().optional(),
  })
  .strict();
export type PriceConfig = z.infer<typeof priceSchema>;

const modelRef = z
  .string()
  .min(1)
  .regex(/^[\w.-]+(:.+)?$/, 'must be "provider:model" (like openai-compatible:qwen2.5-coder) or an alias');

export const budgetSchema = z
  .object({
    tokens: z.number().int().positive().optional(),
    usd: z.number().positive().optional(),
  })
  .strict();

export const configSchema = z
  .object({
    defaultModel: modelRef.optional(),
    /** Named aliases; a list is a fallback chain tried in order. */
    models: z.record(z.string(), z.union([modelRef, z.array(modelRef).min(1)])).default({}),
    providers: z.record(z.string(), providerSchema).default({}),
    prices: z.record(z.string(), priceSchema).default({}),
    budget: budgetSchema.default({}),
    limits: z
      .object({
        maxDepth: z.number().int().min(0).max(64).default(8),
        maxSteps: z.number().int().positive().default(20),
        timeoutSeconds: z.number().positive().default(900),
        maxOutputTokens: z.number().int().positive().default(4096),
        /** How long a worker holds a workflow step before another may take it over (it heartbeats meanwhile). */
        leaseSeconds: z.number().positive().default(30),
      })
      .strict()
      .default({ maxDepth: 8, maxSteps: 20, timeoutSeconds: 900, maxOutputTokens: 4096, leaseSeconds: 30 }),
    retry: z
      .object({
        attempts: z.number().int().min(1).max(10).default(4),
        baseDelayMs: z.number().int().nonnegative().default(500),
        maxDelayMs: z.number().int().positive().default(30_000),
      })
      .strict()
      .default({ attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 }),
    store: z.string().default('.swarm/swarm.db'),
    /** The engine backend: `sqlite:<path>` (embedded) or `nats://host:4222` (a JetStream cluster). */
    engine: z.string().default('sqlite:.swarm/swarm.db'),
    /** Workflows the scheduler starts on a cron schedule (UTC), once cluster-wide. */
    triggers: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lowercase letters, digits, _ or -'),
            cron: z.string().min(9),
            workflow: z.string().min(1),
            input: z.record(z.string(), z.unknown()).default({}),
          })
          .strict(),
      )
      .default([]),
    workspace: z.string().default('.'),
    agents: z.string().default('agents'),
    tenant: z.string().default('default'),
    /** Memory (the `memory_search` tool's store) and the response cache of model calls. */
    memory: z
      .object({
        dir: z.string().default('.swarm/memory'),
        /** false turns the response cache off; an object tunes it (checked by memory's own schema when a run starts). */
        responseCache: z.union([z.boolean(), z.record(z.string(), z.unknown())]).default(true),
      })
      .strict()
      .default({ dir: '.swarm/memory', responseCache: true }),
    /** The decision audit log (delegations, side-effect tool calls, refusals, approvals, edits, merges). */
    audit: z
      .object({
        enabled: z.boolean().default(true),
        /** Another process writing at the same time gets `<name>.<host>-<pid>.jsonl` beside it. */
        file: z.string().default('.swarm/audit.jsonl'),
      })
      .strict()
      .default({ enabled: true, file: '.swarm/audit.jsonl' }),
    /** `swarm gateway` reads this section (validated by the gateway's own schema when it starts). */
    gateway: z.unknown().optional(),
    /** MCP servers and tool-index settings (validated by src/mcp's own schema, with file and field in errors). */
    mcp: z.unknown().optional(),
    /** `swarm serve` reads this section (validated by the server's own schema when it starts). */
    server: z.unknown().optional(),
    /** `swarm research` reads this section (validated by src/research's own schema when it starts). */
    research: z.unknown().optional(),
  })
  .strict();

export type SwarmConfig = z.infer<typeof configSchema> & {
  /** The file it was read from, if any. */
  file: string | undefined;
  /** Directory that relative paths in the config are resolved against. */
  root: string;
};

/**
 * Reads `swarm.config.yaml` from `cwd` (or the file named by `--config` or
 * SWARM_CONFIG). No file means defaults: Swarm runs without any setup.
 */
export function loadConfig(options: { cwd: string; file?: string | undefined }): SwarmConfig {
  const explicit = options.file ?? process.env.SWARM_CONFIG;
  const file = explicit ? resolve(options.cwd, explicit) : resolve(options.cwd, CONFIG_FILE);
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError(file, [{ path: '', message: 'file not found' }]);
    return { ...configSchema.parse({}), file: undefined, root: options.cwd };
  }
  const parsed = parseStructured(readFileSync(file, 'utf8'), configSchema);
  if (!parsed.ok) throw new ConfigError(file, parsed.problems);
  return { ...parsed.value, file, root: options.cwd };
}

export function resolvePath(config: SwarmConfig, path: string): string {
  return resolve(config.root, path);
}
