import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { FileProblem } from './errors.js';

/** Where a field of a parsed file is, for errors found after parsing (a reference to an unknown agent). */
export type Locator = (path: readonly (string | number)[]) => { line: number; col: number } | undefined;

/**
 * Parses YAML or JSON (JSON is read as YAML 1.2, so both keep source
 * positions) and validates it against a zod schema. Every problem comes back
 * with the line and column of the offending field, so a broken manifest or
 * config names exactly what to fix.
 */
export function parseStructured<S extends z.ZodType>(
  text: string,
  schema: S,
): { ok: true; value: z.output<S>; locate: Locator } | { ok: false; problems: FileProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: '', message: firstLine(e.message), line: pos.line, column: pos.col };
      }),
    };
  }
  const data = doc.toJS({ maxAliasCount: 100 });
  const result = schema.safeParse(data ?? {});
  if (result.success) {
    return { ok: true, value: result.data, locate: (path) => locate(doc, lineCounter, path.map(String)) };
  }
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const path = issue.path.map(String);
      const located = locate(doc, lineCounter, path);
      return {
        path: path.join('.'),
        message: issue.message,
        ...(located ? { line: located.line, column: located.col } : {}),
      };
    }),
  };
}

/** The nearest node on the path that exists (a missing field points at its parent object). */
function locate(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: string[]) {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n).map(keyOf), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]);
  }
  return undefined;
}

function keyOf(segment: string): string | number {
  return /^\d+$/.test(segment) ? Number(segment) : segment;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
