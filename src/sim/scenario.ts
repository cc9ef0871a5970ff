import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { z } from 'zod';
import { errorMessage, type FileProblem, InvalidFileError } from '../core/errors.js';
import { parseStructured } from '../core/structured-file.js';
import { ScenarioNotFoundError } from './errors.js';
import { compilePattern } from './pattern.js';

/** Placeholders a reply's content may use; anything else is a typo caught at load time. */
const PLACEHOLDERS = ['lastUser', 'lastToolResult', 'model'] as const;
const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

const SCENARIO_HINT = 'Fix the fields listed above; examples/scenarios/ has scenarios to copy from.';
const DEFAULT_FALLBACK =
  '[swarm sim] no scenario rule matched (model {{model}}). Last user message: {{lastUser}}';

// setTimeout cannot wait longer than 2^31-1 ms.
const ms = z.number().int().min(0).max(2_147_483_647);
const count = z.number().int().min(0);

const pattern = z.string().superRefine((source, ctx) => {
  try {
    compilePattern(source);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${errorMessage(error)}` });
  }
});

const template = z.string().superRefine((text, ctx) => {
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name ?? '')) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown placeholder {{${name}}}; use one of ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
      });
    }
  }
});

const toolCallSchema = z.strictObject({
  /** Fixed id for tests that assert on it; a random `call_...` id otherwise. */
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  /** An object is JSON-encoded; a string is sent verbatim, so a scenario can send malformed JSON. */
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).default({}),
});

const replySchema = z.strictObject({
  content: template.optional(),
  toolCalls: z.array(toolCallSchema).optional(),
  finishReason: z.enum(['stop', 'length', 'tool_calls', 'content_filter']).optional(),
  usage: z.strictObject({ promptTokens: count.optional(), completionTokens: count.optional() }).optional(),
  latencyMs: ms.optional(),
  chunkDelayMs: ms.optional(),
  chunkSize: z.number().int().positive().optional(),
});

const faultSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('http'),
    status: z.number().int().min(400).max(599).default(500),
    /** Seconds, sent as the Retry-After header. */
    retryAfter: z.number().int().min(0).optional(),
    message: z.string().min(1).optional(),
  }),
  z.strictObject({ type: z.literal('cut'), afterChunks: count.default(0) }),
  /** Without stallMs the stall lasts until the client disconnects or the server closes. */
  z.strictObject({ type: z.literal('stall'), afterChunks: count.default(0), stallMs: ms.optional() }),
  z.strictObject({ type: z.literal('malformed'), afterChunks: count.default(0) }),
]);

const matchSchema = z.strictObject({
  model: z.string().min(1).optional(),
  system: pattern.optional(),
  lastUser: pattern.optional(),
  lastToolResult: pattern.optional(),
  hasTool: z.string().min(1).optional(),
  noTools: z.boolean().optional(),
  request: z.number().int().positive().optional(),
  /** Matches only requests arriving within this many ms of the simulator's start (or last reset): an outage window. */
  untilMs: ms.optional(),
});

const ruleSchema = z
  .strictObject({
    /** Shown in /sim/requests as the rule that matched; `rules[i]` when absent. */
    name: z.string().min(1).optional(),
    match: matchSchema.prefault({}),
    times: z.number().int().positive().optional(),
    reply: replySchema.optional(),
    fault: faultSchema.optional(),
  })
  .refine((rule) => rule.reply !== undefined || rule.fault !== undefined, {
    message: 'a rule needs a reply, a fault, or both',
  });

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    models: z.array(z.string().min(1)).min(1).default(['sim-model']),
    maxConcurrency: z.number().int().positive().optional(),
    /** Size of the simulated KV cache in 16-token blocks. */
    kvCacheBlocks: z.number().int().positive().default(1024),
    /** Timing from the work a request is (see performance.ts), added to the replies' latencyMs and chunkDelayMs. */
    performance: z
      .strictObject({
        prefillMsPerToken: z.number().min(0).default(0),
        decodeMsPerToken: z.number().min(0).default(0),
        decodeMsPerRunning: z.number().min(0).default(0),
      })
      .optional(),
    apiKey: z.string().min(1).optional(),
    defaults: z
      .strictObject({
        latencyMs: ms.default(0),
        chunkDelayMs: ms.default(0),
        chunkSize: z.number().int().positive().default(8),
      })
      .prefault({}),
    rules: z.array(ruleSchema).default([]),
    fallback: replySchema.default({ content: DEFAULT_FALLBACK }),
  })
  .superRefine((scenario, ctx) => {
    scenario.rules.forEach((rule, i) => {
      const model = rule.match.model;
      if (model !== undefined && !scenario.models.includes(model)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'match', 'model'],
          message: `model "${model}" is not in models (${scenario.models.join(', ')}), so the rule could never match`,
        });
      }
    });
  });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = Omit<z.output<typeof scenarioSchema>, 'name'> & { name: string };
export type Rule = Scenario['rules'][number];
export type Reply = Scenario['fallback'];
export type Fault = NonNullable<Rule['fault']>;
export type Timing = Scenario['defaults'];

/** Validates a scenario given as an object; `source` names it in the error. */
export function parseScenario(input: unknown, source = '<scenario>'): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) {
    const problems: FileProblem[] = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    throw new InvalidFileError('invalid_scenario', source, problems, SCENARIO_HINT);
  }
  return { ...result.data, name: result.data.name ?? 'scenario' };
}

/** Loads a YAML or JSON scenario; errors name the line and field. Unnamed scenarios take the file's name. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioNotFoundError(file, error);
  }
  const result = parseStructured(text, scenarioSchema);
  if (!result.ok) throw new InvalidFileError('invalid_scenario', file, result.problems, SCENARIO_HINT);
  return { ...result.value, name: result.value.name ?? basename(file, extname(file)) };
}

/** Fills `{{placeholder}}`s; the schema has already rejected unknown names. */
export function fillTemplate(text: string, values: Record<(typeof PLACEHOLDERS)[number], string>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => values[name as keyof typeof values] ?? '');
}
