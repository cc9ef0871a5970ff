import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/support/fixtures.js';
import { type Price, PriceTable, UnknownPriceError } from './prices.js';

/** The shipped data, read independently of the module under test. */
const data = JSON.parse(readFileSync(new URL('./price-data.json', import.meta.url), 'utf8')) as Record<
  string,
  Price
>;

const table = PriceTable.load({}, ['vllm', 'openai-compatible']);
const usd = (perMillion: number, tokens: number) => (perMillion * tokens) / 1e6;

describe('PriceTable', () => {
  it('prices a known model from the shipped data', () => {
    const gpt4o = data['openai:gpt-4o']!;
    const expected = usd(gpt4o.input, 12_000) + usd(gpt4o.output, 800);
    expect(table.cost('openai:gpt-4o', { inputTokens: 12_000, outputTokens: 800 })).toBeCloseTo(expected, 12);
    expect(table.price('openai:gpt-4o')).toEqual(gpt4o);
    expect(table.isKnown('anthropic:claude-sonnet-4-5')).toBe(true);
  });

  it('matches the LiteLLM figures it was derived from', () => {
    const fixture = fixturePath('model-prices', 'model_prices_and_context_window.json');
    const litellm = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, Record<string, number>>;
    for (const [ref, key] of [
      ['openai:gpt-4o', 'gpt-4o'],
      ['anthropic:claude-sonnet-4-5', 'claude-sonnet-4-5'],
      ['google:gemini-2.5-pro', 'gemini/gemini-2.5-pro'],
      [
        'bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      ],
    ] as const) {
      const raw = litellm[key]!;
      const expected = 10_000 * raw.input_cost_per_token! + 1_000 * raw.output_cost_per_token!;
      expect(table.cost(ref, { inputTokens: 10_000, outputTokens: 1_000 })).toBeCloseTo(expected, 12);
      expect(table.price(ref)?.contextWindow).toBe(raw.max_input_tokens);
    }
  });

  it('bills cached input tokens at the cached rate when known, else at the input rate', () => {
    const sonnet = data['anthropic:claude-sonnet-4-5']!;
    expect(sonnet.cachedInput).toBeDefined();
    const usage = { inputTokens: 10_000, cachedInputTokens: 8_000, outputTokens: 1_000 };
    const expected = usd(sonnet.input, 2_000) + usd(sonnet.cachedInput!, 8_000) + usd(sonnet.output, 1_000);
    expect(table.cost('anthropic:claude-sonnet-4-5', usage)).toBeCloseTo(expected, 12);

    const custom = PriceTable.load({ 'acme:model-x': { input: 2, output: 6 } }, []);
    expect(custom.cost('acme:model-x', usage)).toBeCloseTo(usd(2, 10_000) + usd(6, 1_000), 12);
  });

  it('applies long-context rates to the whole request past the threshold', () => {
    const pro = data['google:gemini-2.5-pro']!;
    const long = pro.longContext!;
    expect(long.input).toBeGreaterThan(pro.input);
    const inputTokens = long.above + 1;
    expect(table.cost('google:gemini-2.5-pro', { inputTokens, outputTokens: 100 })).toBeCloseTo(
      usd(long.input, inputTokens) + usd(long.output, 100),
      12,
    );
  });

  it('lets user overrides win, by provider:model or by bare model id', () => {
    const overrides = {
      'openai:gpt-4o': { input: 1, output: 2 },
      'gpt-4.1': { input: 3, output: 4, cachedInput: 0.5 },
    };
    const custom = PriceTable.load(overrides, []);
    expect(custom.cost('openai:gpt-4o', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(3);
    expect(custom.price('azure:gpt-4.1')).toEqual({ input: 3, output: 4, cachedInput: 0.5 });
    expect(custom.price('azure:gpt-4o')).toEqual(data['azure:gpt-4o']);
  });

  it('prices local providers at zero unless the user priced the model', () => {
    expect(table.cost('vllm:qwen2.5-coder-32b', { inputTokens: 50_000, outputTokens: 4_000 })).toBe(0);
    expect(table.worstCase('openai-compatible:gpt-4o', 50_000, 4_000)).toBe(0);
    expect(table.isKnown('vllm:anything')).toBe(true);
    const priced = PriceTable.load({ 'vllm:big-model': { input: 0.1, output: 0.2 } }, ['vllm']);
    expect(priced.cost('vllm:big-model', { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(0.1, 12);
  });

  it('refuses to count an unknown paid model as free, and says where to add its price', () => {
    expect(table.isKnown('openai:gpt-99-ultra')).toBe(false);
    expect(table.price('openai:gpt-99-ultra')).toBeUndefined();
    const error = (() => {
      try {
        table.cost('openai:gpt-99-ultra', { inputTokens: 1, outputTokens: 1 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnknownPriceError);
    expect((error as UnknownPriceError).code).toBe('unknown_price');
    expect((error as UnknownPriceError).hint).toMatch(/prices:.*swarm\.config\.yaml/s);
    expect((error as UnknownPriceError).hint).toContain('"openai:gpt-99-ultra"');
    expect(() => table.worstCase('openai:gpt-99-ultra', 1_000, 1_000)).toThrow(UnknownPriceError);
  });

  it('falls back to the model id without its date suffix', () => {
    expect(data['openai:gpt-4o-2024-08-06']).toBeUndefined();
    expect(table.price('openai:gpt-4o-2024-08-06')).toEqual(data['openai:gpt-4o']);
    expect(table.price('anthropic:claude-sonnet-4-5-20991231')).toEqual(data['anthropic:claude-sonnet-4-5']);
    // A snapshot priced apart keeps its own price.
    expect(table.price('openai:gpt-4o-2024-05-13')).toEqual(data['openai:gpt-4o-2024-05-13']);
    expect(table.price('openai:gpt-4o-2024-05-13')).not.toEqual(data['openai:gpt-4o']);
  });

  it("finds a model under a differently named provider, preferring the vendor's own price", () => {
    expect(table.price('work-openai:gpt-4o')).toEqual(data['openai:gpt-4o']);
    expect(table.price('work-openai:gpt-4o-2024-11-20')).toEqual(data['openai:gpt-4o']);
    expect(table.price('work-openai:gpt-4o-2024-05-13')).toEqual(data['openai:gpt-4o-2024-05-13']);
    expect(table.price('my-bedrock:anthropic.claude-sonnet-4-5-20250929-v1:0')).toEqual(
      data['bedrock:anthropic.claude-sonnet-4-5-20250929-v1:0'],
    );
  });

  it('reserves the worst case: every input token uncached plus every allowed output token', () => {
    const mini = data['openai:gpt-4o-mini']!;
    expect(table.worstCase('openai:gpt-4o-mini', 3_000, 4_096)).toBeCloseTo(
      usd(mini.input, 3_000) + usd(mini.output, 4_096),
      12,
    );
  });

  it('ships the common chat models of every provider with attribution', () => {
    const refs = Object.keys(data).filter((k) => k !== '_source');
    expect(refs.length).toBeGreaterThanOrEqual(100);
    expect(refs.length).toBeLessThanOrEqual(250);
    const providers = new Set(refs.map((r) => r.slice(0, r.indexOf(':'))));
    for (const p of ['openai', 'anthropic', 'google', 'bedrock', 'azure', 'deepseek', 'mistral', 'groq']) {
      expect(providers).toContain(p);
    }
    expect(data._source).toMatchObject({ license: 'MIT', copyright: expect.stringContaining('Berri AI') });
    expect(table.dataUpdated).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
