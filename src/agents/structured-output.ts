import { z } from 'zod';

type JsonSchemaInput = Parameters<typeof z.fromJSONSchema>[0];

/**
 * Validates a final answer against a manifest's JSON Schema. Models often wrap
 * JSON in a Markdown fence or add a sentence around it; the first JSON value
 * in the text is what counts.
 */
export class OutputValidator {
  private readonly schema: z.ZodType;

  constructor(readonly jsonSchema: Record<string, unknown>) {
    this.schema = z.fromJSONSchema(jsonSchema as JsonSchemaInput);
  }

  check(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
    const candidate = extractJson(text);
    if (candidate === undefined) return { ok: false, error: 'the answer contains no JSON value' };
    let value: unknown;
    try {
      value = JSON.parse(candidate);
    } catch (error) {
      return { ok: false, error: `the answer is not valid JSON: ${(error as Error).message}` };
    }
    const result = this.schema.safeParse(value);
    if (result.success) return { ok: true, value: result.data };
    return {
      ok: false,
      error: result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    };
  }
}

function extractJson(text: string): string | undefined {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n?```/.exec(text);
  if (fenced?.[1]) return fenced[1].trim();
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  const open = text[start];
  const close = open === '{' ? '}' : ']';
  const end = text.lastIndexOf(close);
  return end > start ? text.slice(start, end + 1) : undefined;
}
