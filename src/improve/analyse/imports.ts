import type { Node } from 'web-tree-sitter';
import type { ImportFacts } from './facts.js';
import { isJsFamily, type SourceLanguage } from './languages.js';

export interface ImportRead {
  imports: ImportFacts[];
  /** Whether the node's children still hold code to analyse (a call's arguments do; an `import` does not). */
  descend: boolean;
}

/** The imports a node makes, if it is one of the language's import forms. */
export function readImports(node: Node, language: SourceLanguage, topLevel: boolean): ImportRead {
  if (isJsFamily(language)) return jsImports(node, topLevel);
  if (language === 'python') return { imports: pythonImports(node, topLevel), descend: false };
  return { imports: goImports(node), descend: false };
}

function jsImports(node: Node, topLevel: boolean): ImportRead {
  const line = node.startPosition.row + 1;
  if (node.type === 'import_statement') {
    const specifier = stringValue(node.childForFieldName('source'));
    if (specifier === undefined) return { imports: [], descend: false };
    const clause = node.namedChildren.find((child) => child?.type === 'import_clause');
    const { names, typeOnly } = clause ? importBindings(clause) : { names: [], typeOnly: false };
    const kind = typeOnly || hasToken(node, 'type') ? 'type' : 'static';
    return { imports: [{ specifier, kind, line, topLevel, names }], descend: false };
  }
  if (node.type === 'export_statement') {
    const specifier = stringValue(node.childForFieldName('source'));
    if (specifier === undefined) return { imports: [], descend: true };
    const clause = node.namedChildren.find((child) => child?.type === 'export_clause');
    const names = clause
      ? clause.namedChildren.map(
          (spec) => (spec?.childForFieldName('alias') ?? spec?.childForFieldName('name'))?.text ?? '',
        )
      : ['*'];
    const kind = hasToken(node, 'type') ? 'type' : 'reexport';
    return { imports: [{ specifier, kind, line, topLevel, names: names.filter(Boolean) }], descend: false };
  }
  // call_expression: import('x') or require('x') with a literal argument
  const callee = node.childForFieldName('function');
  const isImport = callee?.type === 'import';
  const isRequire = callee?.type === 'identifier' && callee.text === 'require';
  if (!isImport && !isRequire) return { imports: [], descend: true };
  const first = node.childForFieldName('arguments')?.namedChildren[0];
  const specifier = stringValue(first ?? null);
  if (specifier === undefined) return { imports: [], descend: true };
  return {
    imports: [
      { specifier, kind: isImport ? 'dynamic' : 'require', line, topLevel, names: requireBindings(node) },
    ],
    descend: true,
  };
}

/** Local names of an import clause, and whether every one of them is type-only. */
function importBindings(clause: Node): { names: string[]; typeOnly: boolean } {
  const names: string[] = [];
  let values = 0;
  for (const child of clause.namedChildren) {
    if (!child) continue;
    if (child.type === 'identifier') {
      names.push(child.text);
      values++;
    } else if (child.type === 'namespace_import') {
      names.push(child.namedChildren.find((n) => n?.type === 'identifier')?.text ?? '*');
      values++;
    } else if (child.type === 'named_imports') {
      for (const spec of child.namedChildren) {
        if (spec?.type !== 'import_specifier') continue;
        const local = spec.childForFieldName('alias') ?? spec.childForFieldName('name');
        if (local) names.push(local.text);
        if (!hasToken(spec, 'type')) values++;
      }
    }
  }
  return { names, typeOnly: names.length > 0 && values === 0 };
}

/** `const x = require('m')` binds `x`; `const { a, b } = require('m')` binds `a` and `b`. */
function requireBindings(call: Node): string[] {
  const declarator = call.parent;
  if (declarator?.type !== 'variable_declarator') return [];
  const name = declarator.childForFieldName('name');
  if (!name) return [];
  if (name.type === 'identifier') return [name.text];
  return name
    .descendantsOfType(['shorthand_property_identifier_pattern', 'identifier'])
    .map((n) => n?.text ?? '');
}

function pythonImports(node: Node, topLevel: boolean): ImportFacts[] {
  const line = node.startPosition.row + 1;
  if (node.type === 'import_statement') {
    return node.namedChildren.flatMap((child) => {
      if (!child) return [];
      const dotted = child.type === 'aliased_import' ? child.childForFieldName('name') : child;
      if (!dotted) return [];
      const alias = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : undefined;
      const specifier = dotted.text;
      return [
        { specifier, kind: 'static' as const, line, topLevel, names: [alias ?? specifier.split('.')[0]!] },
      ];
    });
  }
  const module = node.childForFieldName('module_name');
  if (!module) return [];
  const names = node.namedChildren
    .filter((child) => child && child.startIndex > module.endIndex)
    .map((child) => {
      if (child?.type === 'wildcard_import') return '*';
      if (child?.type === 'aliased_import') return child.childForFieldName('alias')?.text ?? '';
      return child?.text ?? '';
    })
    .filter(Boolean);
  return [{ specifier: module.text, kind: 'static', line, topLevel, names }];
}

function goImports(node: Node): ImportFacts[] {
  return node.descendantsOfType('import_spec').flatMap((spec) => {
    const path = stringValue(spec?.childForFieldName('path') ?? null);
    if (!spec || path === undefined) return [];
    const alias = spec.childForFieldName('name')?.text;
    const names = [alias ?? path.split('/').at(-1)!];
    return [
      { specifier: path, kind: 'static' as const, line: spec.startPosition.row + 1, topLevel: true, names },
    ];
  });
}

/** The value of a string literal node (quotes removed), or undefined for anything else. */
function stringValue(node: Node | null): string | undefined {
  if (!node) return undefined;
  if (
    node.type !== 'string' &&
    node.type !== 'interpreted_string_literal' &&
    node.type !== 'raw_string_literal'
  ) {
    return undefined;
  }
  return node.text.slice(1, -1);
}

function hasToken(node: Node, token: string): boolean {
  for (const child of node.children) if (child && !child.isNamed && child.type === token) return true;
  return false;
}
