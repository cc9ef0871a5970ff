import { ExpressionError } from './errors.js';

export type Scope = Record<string, unknown>;

/** Looks up `a.b.0.c` in the scope; numeric segments index arrays. Missing paths are undefined. */
export function lookup(scope: Scope, path: string): unknown {
  let value: unknown = scope;
  for (const segment of path.split('.')) {
    if (value === null || value === undefined) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** JSON-logic truthiness: empty arrays and strings, 0, null and undefined are false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

type Op = (args: unknown[], scope: Scope) => unknown;

const num = (v: unknown) => Number(v);
const OPS: Record<string, Op> = {
  var: ([path, fallback], scope) => {
    const value = path === undefined || path === '' ? scope : lookup(scope, String(path));
    return value === undefined ? fallback : value;
  },
  // JSON-logic defines == and != as loose comparisons ("1" == 1); === and !== are the strict ones
  // biome-ignore lint/suspicious/noDoubleEquals: JSON-logic semantics
  '==': ([a, b]) => a == b,
  // biome-ignore lint/suspicious/noDoubleEquals: JSON-logic semantics
  '!=': ([a, b]) => a != b,
  '===': ([a, b]) => a === b,
  '!==': ([a, b]) => a !== b,
  '<': ([a, b]) => num(a) < num(b),
  '<=': ([a, b]) => num(a) <= num(b),
  '>': ([a, b]) => num(a) > num(b),
  '>=': ([a, b]) => num(a) >= num(b),
  '!': ([a]) => !truthy(a),
  '!!': ([a]) => truthy(a),
  in: ([needle, haystack]) =>
    Array.isArray(haystack) ? haystack.includes(needle) : String(haystack ?? '').includes(String(needle)),
  '+': (args) => args.reduce<number>((s, v) => s + num(v), 0),
  '-': ([a, b]) => (b === undefined ? -num(a) : num(a) - num(b)),
  '*': (args) => args.reduce<number>((s, v) => s * num(v), 1),
  '/': ([a, b]) => num(a) / num(b),
  '%': ([a, b]) => num(a) % num(b),
  min: (args) => Math.min(...args.map(num)),
  max: (args) => Math.max(...args.map(num)),
  count: ([a]) => (Array.isArray(a) ? a.length : typeof a === 'string' ? a.length : 0),
};

/**
 * Evaluates a JSON-logic expression: data, never code. `and`, `or` and `if`
 * short-circuit as in JSON-logic; every other operator evaluates its
 * arguments first.
 */
export function evaluate(expr: unknown, scope: Scope): unknown {
  if (Array.isArray(expr)) return expr.map((e) => evaluate(e, scope));
  if (expr === null || typeof expr !== 'object') return expr;
  const keys = Object.keys(expr);
  if (keys.length !== 1)
    throw new ExpressionError(
      `an operation must have exactly one operator, found: ${keys.join(', ') || 'none'}`,
    );
  const op = keys[0]!;
  const raw = (expr as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  switch (op) {
    case 'and': {
      let last: unknown = true;
      for (const a of args) {
        last = evaluate(a, scope);
        if (!truthy(last)) return last;
      }
      return last;
    }
    case 'or': {
      let last: unknown = false;
      for (const a of args) {
        last = evaluate(a, scope);
        if (truthy(last)) return last;
      }
      return last;
    }
    case 'if': {
      for (let i = 0; i + 1 < args.length; i += 2)
        if (truthy(evaluate(args[i], scope))) return evaluate(args[i + 1], scope);
      return args.length % 2 === 1 ? evaluate(args[args.length - 1], scope) : null;
    }
  }
  const fn = OPS[op];
  if (!fn)
    throw new ExpressionError(`unknown operator "${op}"; known: and, or, if, ${Object.keys(OPS).join(', ')}`);
  return fn(
    args.map((a) => evaluate(a, scope)),
    scope,
  );
}

const TEMPLATE = /\$\{\{\s*([\w.-]+)\s*\}\}/g;
const WHOLE = /^\$\{\{\s*([\w.-]+)\s*\}\}$/;

/** Fills `${{ path }}` in a string; objects are inserted as JSON. */
export function render(template: string, scope: Scope): string {
  return template.replace(TEMPLATE, (_, path: string) => {
    const value = lookup(scope, path);
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** Renders every string in a value; a string that is exactly one template keeps the value's own type. */
export function renderDeep(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    return whole ? lookup(scope, whole[1]!) : render(value, scope);
  }
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, scope));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, scope)]));
  }
  return value;
}

/** The paths a template string refers to, for validation before anything runs. */
export function templatePaths(template: string): string[] {
  return [...template.matchAll(TEMPLATE)].map((m) => m[1]!);
}
