import type { Tiktoken } from 'js-tiktoken/lite';

let encoder: Promise<Tiktoken> | undefined;

/**
 * Exact token counts with js-tiktoken (o200k_base, the GPT-4o/4.1 family's
 * encoding; other families differ by a few percent). Loading the ranks
 * takes about a second, so it happens once, on first use.
 */
export async function exactTokenCounter(): Promise<(text: string) => number> {
  encoder ??= (async () => {
    const [{ Tiktoken }, ranks] = await Promise.all([
      import('js-tiktoken/lite'),
      import('js-tiktoken/ranks/o200k_base'),
    ]);
    return new Tiktoken(ranks.default);
  })();
  const loaded = await encoder;
  return (text) => loaded.encode(text, 'all').length;
}
