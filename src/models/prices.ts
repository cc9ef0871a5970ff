import { z } from 'zod';
import { type PriceConfig, priceSchema } from '../core/config.js';
import { SwarmError } from '../core/errors.js';
// Imported rather than read from disk so tsc copies it next to the compiled module.
import shipped from './price-data.json' with { type: 'json' };

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
  /** Rate for prompt tokens served from the provider's cache; `input` when unknown. */
  cachedInput?: number;
  /** Most prompt tokens the model accepts. */
  contextWindow?: number;
  /** Rates for the whole request once its prompt exceeds `above` tokens (Gemini and Claude long-context pricing). */
  longContext?: { above: number; input: number; output: number; cachedInput?: number };
}

export interface TokenUsage {
  /** All prompt tokens, cached ones included (as the AI SDK reports them). */
  inputTokens: number;
  outputTokens: number;
  /** How many of `inputTokens` were read from the provider's prompt cache. */
  cachedInputTokens?: number;
}

/** A paid model whose price is not known: refusing beats recording its calls as free. */
export class UnknownPriceError extends SwarmError {
  readonly model: string;

  constructor(model: string) {
    super('unknown_price', `no price is known for model "${model}", so its cost cannot be counted`, {
      hint:
        'Add it under `prices:` in swarm.config.yaml, in USD per million tokens, e.g.\n' +
        `  prices:\n    "${model}": { input: 1.25, output: 10, cachedInput: 0.125 }\n` +
        'or set `local: true` on its provider if it runs on your own hardware.',
    });
    this.model = model;
  }
}

const shippedSchema = z.object({ _source: z.looseObject({ lastUpdated: z.string() }) }).catchall(
  priceSchema.extend({
    contextWindow: z.number().int().positive().optional(),
    longContext: z
      .object({
        above: z.number().int().positive(),
        input: z.number().nonnegative(),
        output: z.number().nonnegative(),
        cachedInput: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
  }),
);

const FREE: Price = Object.freeze({ input: 0, output: 0 });

/** `gpt-4o-2024-08-06` → `gpt-4o`, `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`. */
const DATE_SUFFIX = /[-@](\d{4}-\d{2}-\d{2}|\d{8})$/;

interface Ranked {
  price: Price;
  /** Position of the entry's provider in the data: vendors' own APIs come first, resellers after. */
  rank: number;
}

interface Catalogue {
  exact: Map<string, Price>;
  byModel: Map<string, Ranked>;
  updated: string;
}

let catalogue: Catalogue | undefined;

/** The shipped table, validated once: a broken data file is a build bug and should fail loudly. */
function shippedCatalogue(): Catalogue {
  if (catalogue) return catalogue;
  const { _source, ...entries } = shippedSchema.parse(shipped);
  const exact = new Map<string, Price>();
  const byModel = new Map<string, Ranked>();
  const ranks = new Map<string | undefined, number>();
  for (const [ref, price] of Object.entries(entries)) {
    exact.set(ref, price);
    const { provider, model } = splitRef(ref);
    if (!ranks.has(provider)) ranks.set(provider, ranks.size);
    if (!byModel.has(model)) byModel.set(model, { price, rank: ranks.get(provider)! });
  }
  catalogue = { exact, byModel, updated: _source.lastUpdated };
  return catalogue;
}

/**
 * What a model call costs. Prices come from the shipped table (derived from
 * LiteLLM's, see PRICES-LICENSE.md) and the user's `prices:` overrides, which
 * win. Models of local providers cost nothing unless the user prices them.
 */
export class PriceTable {
  /** When the shipped prices were last updated upstream (ISO 8601). */
  readonly dataUpdated: string;
  private readonly overrides: ReadonlyMap<string, Price>;
  private readonly local: ReadonlySet<string>;
  private readonly shipped: Catalogue;

  private constructor(overrides: Map<string, Price>, local: Set<string>, shipped: Catalogue) {
    this.overrides = overrides;
    this.local = local;
    this.shipped = shipped;
    this.dataUpdated = shipped.updated;
  }

  /**
   * `overrides` are keyed `provider:model`, or by a bare model id to price it
   * under every provider. `localProviders` name providers whose models are free.
   */
  static load(overrides: Record<string, PriceConfig>, localProviders: Iterable<string>): PriceTable {
    const checked = z.record(z.string().min(1), priceSchema).parse(overrides);
    return new PriceTable(new Map(Object.entries(checked)), new Set(localProviders), shippedCatalogue());
  }

  /**
   * The price of `provider:model`, first found of: the user's override; zero
   * for a local provider; the shipped entry for this provider, as written or
   * without its date suffix (`gpt-4o-2024-08-06` → `gpt-4o`, which is how
   * the shipped table stores snapshots priced like their model); the same id
   * under another provider (so a provider named `work-openai` still finds
   * OpenAI's prices), preferring the vendor's own API over resellers.
   */
  price(modelRef: string): Price | undefined {
    const { provider, model } = splitRef(modelRef);
    const undated = model.replace(DATE_SUFFIX, '');
    const ids = undated === model ? [model] : [model, undated];
    const qualified = (id: string) => (provider === undefined ? id : `${provider}:${id}`);
    for (const id of ids) {
      const override = this.overrides.get(qualified(id)) ?? this.overrides.get(id);
      if (override) return override;
    }
    if (provider !== undefined && this.local.has(provider)) return FREE;
    for (const id of ids) {
      const entry = this.shipped.exact.get(qualified(id));
      if (entry) return entry;
    }
    let best: Ranked | undefined;
    for (const id of ids) {
      const entry = this.shipped.byModel.get(id);
      // On a tie the dated id wins: it is listed apart only because its price differs.
      if (entry && (!best || entry.rank < best.rank)) best = entry;
    }
    return best?.price;
  }

  isKnown(modelRef: string): boolean {
    return this.price(modelRef) !== undefined;
  }

  /** USD for one call; throws `UnknownPriceError` rather than guess for a paid model it cannot price. */
  cost(modelRef: string, usage: TokenUsage): number {
    const price = this.price(modelRef);
    if (!price) throw new UnknownPriceError(modelRef);
    const rates =
      price.longContext && usage.inputTokens > price.longContext.above ? price.longContext : price;
    const cached = Math.min(Math.max(usage.cachedInputTokens ?? 0, 0), usage.inputTokens);
    const usd =
      (usage.inputTokens - cached) * rates.input +
      cached * (rates.cachedInput ?? rates.input) +
      usage.outputTokens * rates.output;
    return usd / 1_000_000;
  }

  /** The most a call can cost: no cache hits and every allowed output token; what a budget must reserve. */
  worstCase(modelRef: string, inputTokens: number, maxOutputTokens: number): number {
    return this.cost(modelRef, { inputTokens, outputTokens: maxOutputTokens });
  }
}

/** Splits at the first colon only: Bedrock ids contain colons of their own (`...-v1:0`). */
function splitRef(ref: string): { provider: string | undefined; model: string } {
  const colon = ref.indexOf(':');
  return colon <= 0
    ? { provider: undefined, model: ref }
    : { provider: ref.slice(0, colon), model: ref.slice(colon + 1) };
}
