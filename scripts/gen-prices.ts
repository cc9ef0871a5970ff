/**
 * Derives src/models/price-data.json from LiteLLM's model_prices_and_context_window.json:
 *
 *   npx tsx scripts/gen-prices.ts <path to model_prices_and_context_window.json> [output path]
 *
 * Only the common chat models are kept, under the provider names Swarm's
 * config uses, in USD per million tokens. Re-run it when prices change and
 * review the diff: a price that moves by an order of magnitude is more
 * likely a unit change upstream than a real one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

interface Rule {
  /** `litellm_provider` values this rule reads. */
  from: readonly string[];
  /** Our provider name. */
  to: string;
  /** Prefix LiteLLM puts before the provider's own model id. */
  strip?: RegExp;
  include: RegExp;
  exclude?: RegExp;
}

const OPENAI_CHAT = /^(gpt-4o|gpt-4\.1|gpt-5|o1|o3|o4|chatgpt-4o)/;
const NOT_TEXT_CHAT = /audio|realtime|search|transcribe|tts|image|container|deep-research|computer-use/;
const CLAUDE_3_5_UP = /claude-(3-5|3-7|sonnet|opus|haiku|fable|4)/;

// Vendors' own APIs come first: when a model id is looked up without its
// provider, the first entry holding it wins, and that should be the list price.
const RULES: readonly Rule[] = [
  { from: ['openai'], to: 'openai', include: OPENAI_CHAT, exclude: NOT_TEXT_CHAT },
  { from: ['anthropic'], to: 'anthropic', include: new RegExp(`^${CLAUDE_3_5_UP.source}`) },
  {
    from: ['gemini'],
    to: 'google',
    strip: /^gemini\//,
    include: /^gemini-(1\.5|2|3|flash|pro)/,
    exclude: /audio|live|tts|image|robotics|computer-use|customtools|embedding|exp/,
  },
  { from: ['deepseek'], to: 'deepseek', strip: /^deepseek\//, include: /^deepseek-(chat|reasoner|v\d)/ },
  {
    from: ['mistral'],
    to: 'mistral',
    strip: /^mistral\//,
    include: /-latest$|^open-mistral-nemo$/,
    exclude: /mamba/,
  },
  { from: ['groq'], to: 'groq', strip: /^groq\//, include: /./, exclude: /guard|gemma-7b/ },
  {
    from: ['azure'],
    to: 'azure',
    strip: /^azure\//,
    include: OPENAI_CHAT,
    // `eu/`, `us/`, `global/` are data-zone deployments, priced apart.
    exclude: new RegExp(`${NOT_TEXT_CHAT.source}|/`),
  },
  {
    // Bedrock ids, with the cross-region inference profiles people use most (they can cost more).
    from: ['bedrock', 'bedrock_converse'],
    to: 'bedrock',
    include: new RegExp(
      `^((us|eu|global)\\.)?(anthropic\\.${CLAUDE_3_5_UP.source}|amazon\\.nova-(micro|lite|pro)|meta\\.llama(3-3|4)|deepseek\\.(r1|v3))`,
    ),
    // `bedrock/<region>/...` and `.../1-month-commitment/...` are region- or commitment-specific.
    exclude: /\//,
  },
];

const CHAT_MODES = new Set(['chat', 'responses']);
/** Keep in step with the fallback in src/models/prices.ts. */
const DATE_SUFFIX = /[-@](\d{4}-\d{2}-\d{2}|\d{8})$/;

const entrySchema = z.looseObject({
  litellm_provider: z.string(),
  mode: z.string().optional(),
  input_cost_per_token: z.number().nonnegative().optional(),
  output_cost_per_token: z.number().nonnegative().optional(),
  cache_read_input_token_cost: z.number().nonnegative().optional(),
  max_input_tokens: z.number().int().positive().optional(),
});
type Entry = z.infer<typeof entrySchema>;

interface Price {
  input: number;
  output: number;
  cachedInput?: number;
  contextWindow?: number;
  longContext?: { above: number; input: number; output: number; cachedInput?: number };
}

const [fixture, output = fileURLToPath(new URL('../src/models/price-data.json', import.meta.url))] =
  process.argv.slice(2);
if (!fixture) {
  console.error('usage: npx tsx scripts/gen-prices.ts <model_prices_and_context_window.json> [output]');
  process.exit(2);
}

const raw = z.record(z.string(), z.unknown()).parse(JSON.parse(readFileSync(fixture, 'utf8')));
const lastUpdated = z.string().parse(raw.last_updated);

const table = new Map<string, Price>();
for (const rule of RULES) {
  const picked = new Map<string, Price>();
  for (const [key, value] of Object.entries(raw)) {
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success || !rule.from.includes(parsed.data.litellm_provider)) continue;
    const entry = parsed.data;
    const id = rule.strip ? key.replace(rule.strip, '') : key;
    if (!CHAT_MODES.has(entry.mode ?? '')) continue;
    if (!rule.include.test(id) || rule.exclude?.test(id) || picked.has(id)) continue;
    const price = toPrice(entry);
    if (price) picked.set(id, price);
  }
  for (const id of [...picked.keys()].sort()) {
    const price = picked.get(id)!;
    // A dated snapshot priced like its undated id adds nothing: PriceTable falls back to the undated id.
    const undated = id.replace(DATE_SUFFIX, '');
    const base = undated === id ? undefined : picked.get(undated);
    if (base && JSON.stringify(base) === JSON.stringify(price)) continue;
    table.set(`${rule.to}:${id}`, price);
  }
}

const data = {
  _source: {
    name: "LiteLLM's model_prices_and_context_window.json",
    url: 'https://github.com/BerriAI/litellm',
    license: 'MIT',
    copyright: 'Copyright (c) 2023 Berri AI',
    lastUpdated,
    units: 'USD per million tokens',
    generatedBy: 'scripts/gen-prices.ts',
  },
  ...Object.fromEntries(table),
};
writeFileSync(output, `${JSON.stringify(data, null, 2)}\n`);
console.log(`wrote ${table.size} prices to ${output}`);

function toPrice(entry: Entry): Price | undefined {
  if (entry.input_cost_per_token === undefined || entry.output_cost_per_token === undefined) return undefined;
  const price: Price = {
    input: perMillion(entry.input_cost_per_token),
    output: perMillion(entry.output_cost_per_token),
  };
  if (entry.cache_read_input_token_cost !== undefined)
    price.cachedInput = perMillion(entry.cache_read_input_token_cost);
  if (entry.max_input_tokens !== undefined) price.contextWindow = entry.max_input_tokens;
  const longContext = longContextPrice(entry);
  if (longContext) price.longContext = longContext;
  return price;
}

/** Some models bill a whole request at higher rates once its prompt passes a threshold (`..._above_200k_tokens`). */
function longContextPrice(entry: Entry): Price['longContext'] {
  for (const [field, value] of Object.entries(entry)) {
    const match = /^input_cost_per_token_above_(\d+)k_tokens$/.exec(field);
    if (!match || typeof value !== 'number') continue;
    const tier = `above_${match[1]}k_tokens`;
    const output = entry[`output_cost_per_token_${tier}`];
    const cached = entry[`cache_read_input_token_cost_${tier}`];
    return {
      above: Number(match[1]) * 1000,
      input: perMillion(value),
      output: perMillion(typeof output === 'number' ? output : entry.output_cost_per_token!),
      ...(typeof cached === 'number' ? { cachedInput: perMillion(cached) } : {}),
    };
  }
  return undefined;
}

/** Per-token prices times a million carry float noise (2.4999999999999996); twelve significant digits drop it. */
function perMillion(perToken: number): number {
  return Number((perToken * 1e6).toPrecision(12));
}
