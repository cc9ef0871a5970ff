/**
 * A TypeScript project with a file of about 900 lines written the way real
 * large files grow: a tokenizer, a parser and a formatter sharing helpers,
 * types, an enum, a class with a mutable module counter, overloads, a
 * default export, a renamed local export list, and an importer using all of
 * it. `main.ts` prints what the code computes, so a split that changes
 * behaviour (evaluation order, a lost binding) shows up in its output.
 */
export function splitFixture(): Record<string, string> {
  return {
    'package.json': JSON.stringify({ name: 'split-fixture', type: 'module' }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        outDir: 'dist',
        noUnusedLocals: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        types: [],
      },
      include: ['src'],
    }),
    'src/util/strings.ts':
      "export function pad(s: string, n: number): string {\n  return s.padEnd(n, ' ');\n}\n",
    'src/big.ts': bigFile(),
    'src/main.ts': [
      "import describeAll, { counted, format, parse, publicHelper, Registry, TokenKind, tokenize } from './big.js';",
      "import type { Node, Token } from './big.js';",
      '',
      "const tokens: Token[] = tokenize('let a = 1 + 2 * x0');",
      'const tree: Node = parse(tokens);',
      'const registry = new Registry();',
      "registry.add('first');",
      "registry.add('second');",
      'console.log(JSON.stringify({',
      '  kinds: tokens.map((t) => TokenKind[t.kind]),',
      '  formatted: format(tree),',
      '  helper: publicHelper(3),',
      '  size: registry.size(),',
      '  counted: counted(),',
      "  all: describeAll(['a', 'b']),",
      '}));',
      '',
    ].join('\n'),
  };
}

function bigFile(): string {
  const out: string[] = [
    '/** A small expression language: tokenizer, parser, formatter, all in one file. */',
    "import { pad } from './util/strings.js';",
    '',
    'export enum TokenKind {',
    '  Number,',
    '  Identifier,',
    '  Operator,',
    '  Keyword,',
    '}',
    '',
    'export interface Token {',
    '  kind: TokenKind;',
    '  text: string;',
    '  at: number;',
    '}',
    '',
    'export type Node = { type: "num"; value: number } | { type: "id"; name: string } | { type: "bin"; op: string; left: Node; right: Node };',
    '',
    'let created = 0;',
    '',
    'function bump(): number {',
    '  created += 1;',
    '  return created;',
    '}',
    '',
    'export function counted(): number {',
    '  return created;',
    '}',
    '',
    'function clamp(n: number, lo: number, hi: number): number {',
    '  return Math.min(hi, Math.max(lo, n));',
    '}',
    '',
  ];
  // Tokenizer helpers: used only by tokenize.
  for (let i = 0; i < 12; i++) out.push(...helper(`scanPart${i}`, 'tokenizer', i));
  out.push(
    'export function tokenize(source: string): Token[] {',
    '  const tokens: Token[] = [];',
    '  const re = /\\s*(\\d+|[A-Za-z_]\\w*|[-+*/=])/g;',
    '  let match: RegExpExecArray | null;',
    '  while ((match = re.exec(source)) !== null) {',
    '    const text = match[1]!;',
    `    const kind = /^\\d/.test(text) ? TokenKind.Number : /^[-+*/=]$/.test(text) ? TokenKind.Operator : text === 'let' ? TokenKind.Keyword : TokenKind.Identifier;`,
    '    tokens.push({ kind, text, at: clamp(match.index, 0, source.length) + scanPart0(0) * 0 });',
    '  }',
    '  bump();',
    '  return tokens;',
    '}',
    '',
  );
  for (let i = 1; i < 12; i++) out.splice(out.length - 2, 0, `  void scanPart${i};`);
  // Parser helpers: used only by parse.
  for (let i = 0; i < 12; i++) out.push(...helper(`parsePart${i}`, 'parser', i));
  out.push(
    'export function parse(tokens: Token[]): Node {',
    '  let pos = 0;',
    '  const next = (): Token | undefined => tokens[pos++];',
    '  const primary = (): Node => {',
    '    const t = next();',
    "    if (!t) return { type: 'num', value: 0 };",
    '    if (t.kind === TokenKind.Keyword) return primary();',
    "    if (t.kind === TokenKind.Number) return { type: 'num', value: Number(t.text) + parsePart0(0) * 0 };",
    "    return { type: 'id', name: t.text };",
    '  };',
    '  let left = primary();',
    '  while (pos < tokens.length) {',
    '    const op = next()!.text;',
    "    if (op === '=') { left = primary(); continue; }",
    "    left = { type: 'bin', op, left, right: primary() };",
    '  }',
    ...Array.from({ length: 11 }, (_, i) => `  void parsePart${i + 1};`),
    '  bump();',
    '  return left;',
    '}',
    '',
  );
  // Formatter helpers: used only by format.
  for (let i = 0; i < 12; i++) out.push(...helper(`formatPart${i}`, 'formatter', i));
  out.push(
    'export function format(node: Node): string;',
    'export function format(node: Node, width: number): string;',
    'export function format(node: Node, width = 0): string {',
    '  const text = render(node);',
    ...Array.from({ length: 12 }, (_, i) => `  void formatPart${i};`),
    '  return width > 0 ? pad(text, width) : text;',
    '}',
    '',
    'function render(node: Node): string {',
    "  if (node.type === 'num') return String(node.value);",
    "  if (node.type === 'id') return node.name;",
    '  return `(${render(node.left)} ${node.op} ${render(node.right)})`;',
    '}',
    '',
    'export class Registry {',
    '  private readonly names: string[] = [];',
    '  add(name: string): void {',
    '    this.names.push(name);',
    '    bump();',
    '  }',
    '  size(): number {',
    '    return this.names.length;',
    '  }',
    '}',
    '',
    'function helperImpl(n: number): number {',
    '  return clamp(n * 2, 0, 100);',
    '}',
    '',
    'export { helperImpl as publicHelper };',
    '',
    'export default function describeAll(names: string[]): string {',
    "  return names.map((n) => pad(n, 3)).join('|');",
    '}',
    '',
  );
  return out.join('\n');
}

/** A helper of about 22 lines, using the shared `clamp`. */
function helper(name: string, area: string, i: number): string[] {
  return [
    `/** Step ${i} of the ${area}. */`,
    `function ${name}(input: number): number {`,
    `  let total = clamp(input, 0, ${100 + i});`,
    ...Array.from({ length: 16 }, (_, k) => `  total = total + ${k} - ${k}; // ${area} step ${i}.${k}`),
    '  return total;',
    '}',
    '',
  ];
}
