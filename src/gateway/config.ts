import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { priceSchema } from '../core/config.js';
import { ConfigError, type FileProblem } from '../core/errors.js';
import { parseStructured } from '../core/structured-file.js';

export const GATEWAY_FILE = 'gateway.yaml';
const DEFAULT_ENGINE = 'sqlite:.swarm/swarm.db';

export const POLICIES = [
  'round-robin',
  'weighted-random',
  'least-loaded',
  'power-of-two',
  'cache-aware',
] as const;
export type PolicyName = (typeof POLICIES)[number];

/** `provider` is a cloud API reached through the model layer; the others are OpenAI-compatible servers. */
export const BACKEND_TYPES = ['vllm', 'llamacpp', 'ollama', 'openai-compatible', 'provider'] as const;
export type BackendType = (typeof BACKEND_TYPES)[number];

/** Cloud providers a `provider` backend can be: the model layer's AI SDK providers. */
export const CLOUD_PROVIDERS = ['anthropic', 'openai', 'google', 'azure', 'bedrock'] as const;

export const BUDGET_PERIODS = ['hour', 'day', 'week', 'month', 'total'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

// setTimeout cannot wait longer than 2^31-1 ms.
const ms = z.number().int().min(0).max(2_147_483_647);
const positiveMs = z.number().int().min(1).max(2_147_483_647);
const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as OPENAI_API_KEY');
const modelName = z.string().min(1).max(256);

const backendSchema = z.strictObject({
  /** Shown in `x-swarm-backend`, events and metrics. */
  name: z.string().regex(/^[\w.-]{1,64}$/, 'use letters, digits, ".", "_" or "-" (at most 64)'),
  /**
   * The OpenAI base URL, as clients are given it: `http://127.0.0.1:8000/v1`. For a `provider`
   * backend, the provider's API base URL, needed only to reach something other than the public API.
   */
  url: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Decides where load figures come from: vLLM and llama.cpp `/metrics`, else the gateway's own
   * counts. `provider` sends requests through the model layer to a cloud API (see `provider`).
   */
  type: z.enum(BACKEND_TYPES).default('openai-compatible'),
  /** For type `provider`: which cloud API. Requests are converted to it and answers back to OpenAI's format. */
  provider: z.enum(CLOUD_PROVIDERS).optional(),
  /** Azure resource name, Bedrock region (else AZURE_RESOURCE_NAME, AWS_REGION). */
  resourceName: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  /** Models it serves: a list of ids, or aliases mapped to the id this server knows them by. */
  models: z.union([z.array(modelName).min(1), z.record(modelName, modelName)]),
  weight: z.number().positive().default(1),
  /** Most requests the gateway sends it at once; more wait in the gateway's queue. */
  maxConcurrency: z.number().int().positive().optional(),
  /** USD per million tokens, or a model id of the shipped price table (`openai:gpt-4.1-mini`). Absent: free. */
  price: z.union([priceSchema, z.string().min(1)]).optional(),
  /** Name of the environment variable holding this backend's API key; the key never goes in the file. */
  apiKeyEnv: envName.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Defaults to `<origin>/metrics` for vllm and llamacpp backends; others are not scraped. */
  metricsUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Defaults to `<url>/models`, which every OpenAI-compatible server answers. */
  probeUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type BackendConfig = z.output<typeof backendSchema>;

const affinitySchema = z.strictObject({
  /** Requests with the same value of this header stick to one backend. */
  header: z
    .string()
    .regex(/^[a-z0-9-]+$/i)
    .transform((h) => h.toLowerCase())
    .default('x-session-id'),
  /** Also stick on the request body's `user` field. */
  user: z.boolean().default(true),
  ttlMs: positiveMs.default(600_000),
  maxSessions: z.number().int().positive().default(100_000),
});

const cacheAwareSchema = z.strictObject({
  /** Prompt characters per indexed chunk (about 64 tokens by default). */
  chunkChars: z.number().int().min(16).max(65_536).default(256),
  /** Chunks remembered across all backends; the least recently used go first. */
  maxChunks: z.number().int().positive().default(200_000),
  /**
   * About how many chunks one backend's KV cache holds (its KV tokens × 4 / chunkChars); past it a
   * backend's least recently sent chunks are forgotten, as the server evicts them. Absent: no limit.
   */
  backendChunks: z.number().int().positive().optional(),
  /** The best-matching backend is overloaded when its load exceeds the least loaded one by both margins. */
  balanceRatio: z.number().min(1).default(1.5),
  balanceAbsolute: z.number().min(0).default(4),
});

const routeSchema = z.strictObject({
  policy: z.enum(POLICIES).default('least-loaded'),
  affinity: affinitySchema.optional(),
  /** Prefer cheaper backends; go to a dearer tier only when every cheaper one is down or above the threshold. */
  spillover: z.strictObject({ loadThreshold: z.number().positive().max(10).default(0.8) }).optional(),
  cache: cacheAwareSchema.prefault({}),
});
export type RouteConfig = z.output<typeof routeSchema>;

const keySchema = z.strictObject({
  /** Public part of the key (`sk-swarm-<id>.<secret>`); names the key in events and metrics. */
  id: z.string().regex(/^[\w-]{1,64}$/, 'use letters, digits, "_" or "-" (at most 64)'),
  /** `sha256:<salt>:<hex digest>`, as printed by `swarm gateway --new-key <id>`. */
  hash: z
    .string()
    .regex(
      /^sha256:[\w-]{16,}:[0-9a-f]{64}$/,
      'must be "sha256:<salt>:<digest>" from swarm gateway --new-key',
    ),
  tenant: z.string().min(1).default('default'),
  /** Models (aliases) the key may use; absent means all. */
  models: z.array(modelName).min(1).optional(),
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
  budget: z
    .strictObject({ usd: z.number().positive(), period: z.enum(BUDGET_PERIODS).default('month') })
    .optional(),
});
export type KeyConfig = z.output<typeof keySchema>;

export const gatewayConfigSchema = z
  .strictObject({
    listen: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
        /** Needed to bind anything but loopback. */
        allowRemote: z.boolean().default(false),
      })
      .prefault({}),
    backends: z.array(backendSchema).min(1),
    /** Routing per model alias; `default` applies to every model not listed. */
    routing: z
      .strictObject({
        default: routeSchema.prefault({}),
        models: z.record(modelName, routeSchema).default({}),
      })
      .prefault({}),
    health: z
      .strictObject({
        probeIntervalMs: positiveMs.default(5_000),
        probeTimeoutMs: positiveMs.default(2_000),
        /** Consecutive failed requests that put a backend in cooldown. */
        failureThreshold: z.number().int().positive().default(3),
        cooldownMs: positiveMs.default(1_000),
        maxCooldownMs: positiveMs.default(60_000),
        /** How long a request waits for a backend when every one is cooling down or full. */
        waitMs: ms.default(10_000),
      })
      .prefault({}),
    scrape: z
      .strictObject({
        intervalMs: positiveMs.default(1_000),
        timeoutMs: positiveMs.default(1_000),
      })
      .prefault({}),
    timeouts: z
      .strictObject({
        /** The whole request, waiting included. */
        requestMs: positiveMs.default(600_000),
        /** Until a stream's first event; past it the next backend is tried. */
        firstTokenMs: positiveMs.default(60_000),
        /** Longest silence between two events of a stream. */
        idleMs: positiveMs.default(60_000),
      })
      .prefault({}),
    retries: z
      .strictObject({
        /** Backends tried per request before the gateway gives up. */
        maxAttempts: z.number().int().min(1).max(10).default(3),
        /** A 429 whose retry-after is longer than this is passed to the client instead of waited out. */
        maxRetryAfterMs: ms.default(30_000),
      })
      .prefault({}),
    limits: z
      .strictObject({
        maxBodyBytes: z
          .number()
          .int()
          .positive()
          .default(8 * 1024 * 1024),
        /** Output tokens reserved (and sent as max_tokens) when a budgeted key's request names no limit. */
        defaultMaxTokens: z.number().int().positive().default(4096),
      })
      .prefault({}),
    keys: z.array(keySchema).default([]),
    /** Where keys' spend and per-minute windows are kept, so a restart does not forget them. */
    state: z
      .strictObject({
        /**
         * An engine backend URL: `sqlite:<path>` or `nats://host:4222` (gateways sharing a NATS
         * bucket share their keys' limits). Read from a file, it defaults to the swarm config's
         * `engine`, else `sqlite:.swarm/swarm.db`; given in code without it, state stays in memory.
         */
        engine: z.string().min(1).optional(),
        bucket: z
          .string()
          .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'use letters, digits, "_" or "-" (at most 64)')
          .default('gateway'),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    config.backends.forEach((backend, i) => {
      if (names.has(backend.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['backends', i, 'name'],
          message: `duplicate backend name "${backend.name}"`,
        });
      }
      names.add(backend.name);
      for (const problem of backendProblems(backend)) {
        ctx.addIssue({ code: 'custom', path: ['backends', i, problem.field], message: problem.message });
      }
      if (backend.metricsUrl !== undefined && backend.type !== 'vllm' && backend.type !== 'llamacpp') {
        ctx.addIssue({
          code: 'custom',
          path: ['backends', i, 'metricsUrl'],
          message: 'only vllm and llamacpp backends are scraped; set type to the server it is',
        });
      }
    });
    const ids = new Set<string>();
    config.keys.forEach((key, i) => {
      if (ids.has(key.id))
        ctx.addIssue({ code: 'custom', path: ['keys', i, 'id'], message: `duplicate key id "${key.id}"` });
      ids.add(key.id);
    });
    const served = new Set(config.backends.flatMap((b) => aliasesOf(b)));
    for (const alias of Object.keys(config.routing.models)) {
      if (!served.has(alias)) {
        ctx.addIssue({
          code: 'custom',
          path: ['routing', 'models', alias],
          message: `no backend serves "${alias}"; served: ${[...served].join(', ')}`,
        });
      }
    }
    config.keys.forEach((key, i) => {
      for (const model of key.models ?? []) {
        if (!served.has(model)) {
          ctx.addIssue({
            code: 'custom',
            path: ['keys', i, 'models'],
            message: `no backend serves "${model}"`,
          });
        }
      }
    });
  });

/** Fields that make sense only for one kind of backend. */
function backendProblems(backend: z.output<typeof backendSchema>): { field: string; message: string }[] {
  if (backend.type === 'provider') {
    const problems = [];
    if (backend.provider === undefined)
      problems.push({
        field: 'provider',
        message: `a provider backend names its cloud API: one of ${CLOUD_PROVIDERS.join(', ')}`,
      });
    if (backend.probeUrl !== undefined)
      problems.push({
        field: 'probeUrl',
        message: 'provider backends are not probed; their failures cool them down',
      });
    return problems;
  }
  const problems = [];
  if (backend.url === undefined)
    problems.push({
      field: 'url',
      message: "the server's OpenAI base URL is required, e.g. http://127.0.0.1:8000/v1",
    });
  for (const field of ['provider', 'resourceName', 'region'] as const) {
    if (backend[field] !== undefined)
      problems.push({ field, message: `only a backend of type provider takes ${field}` });
  }
  return problems;
}

export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

/** The aliases a backend serves, as clients name them. */
export function aliasesOf(backend: Pick<BackendConfig, 'models'>): string[] {
  return Array.isArray(backend.models) ? backend.models : Object.keys(backend.models);
}

/** The id the backend itself knows an alias by. */
export function upstreamModel(backend: Pick<BackendConfig, 'models'>, alias: string): string {
  return Array.isArray(backend.models) ? alias : (backend.models[alias] ?? alias);
}

/** Validates a config given as an object; `source` names it in the error. */
export function parseGatewayConfig(input: unknown, source = '<gateway config>'): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(
    source,
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}

/**
 * Reads a gateway config file (YAML or JSON). The file is either the gateway
 * config itself or a swarm config with it under `gateway:`, so one file can
 * serve both. Problems come back with their line and field.
 */
export function loadGatewayConfig(options: { cwd: string; file?: string | undefined }): {
  config: GatewayConfig;
  file: string;
} {
  const file = resolve(options.cwd, options.file ?? GATEWAY_FILE);
  if (!existsSync(file)) {
    throw new ConfigError(file, [
      {
        path: '',
        message: options.file ? 'file not found' : `no ${GATEWAY_FILE} here and no --config given`,
      },
    ]);
  }
  const text = readFileSync(file, 'utf8');
  const nested = parseStructured(text, z.looseObject({ gateway: z.record(z.string(), z.unknown()) }));
  const schema = nested.ok ? z.looseObject({ gateway: gatewayConfigSchema }) : gatewayConfigSchema;
  const parsed = parseStructured(text, schema);
  if (!parsed.ok) throw new ConfigError(file, parsed.problems satisfies FileProblem[]);
  const value = parsed.value as GatewayConfig | { gateway: GatewayConfig; engine?: unknown };
  const config = 'gateway' in value ? value.gateway : value;
  const engine = 'gateway' in value && typeof value.engine === 'string' ? value.engine : DEFAULT_ENGINE;
  config.state.engine ??= engine;
  // A relative SQLite path means the directory the command runs in, as it does for the swarm config.
  if (config.state.engine.startsWith('sqlite:') && config.state.engine !== 'sqlite::memory:')
    config.state.engine = `sqlite:${resolve(options.cwd, config.state.engine.slice('sqlite:'.length))}`;
  return { config, file };
}
