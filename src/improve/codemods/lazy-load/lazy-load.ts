import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Identifier,
  type ImportDeclaration,
  IndentationText,
  Node,
  type SourceFile,
  SyntaxKind,
} from 'ts-morph';
import type { CodemodResult } from '../codemod-result.js';
import { SkillNotApplicableError } from '../errors.js';
import { formatWithRepoTool } from '../repo-formatter.js';
import { loadSource } from '../source.js';
import { writeFilesAtomically } from '../write-files.js';

const SKILL = 'lazy-load';

/** One local name the import binds, and how to get it back from the module namespace. */
interface Binding {
  local: string;
  /** `default`, an exported name, or `*` for the namespace itself. */
  imported: string;
  valueUses: Identifier[];
  typeUses: number;
}

/**
 * Turns a static import used only inside async functions into
 * `const { a, b } = await import('…')` at the top of each async function
 * that uses it (the nearest enclosing one, so callbacks inside it share the
 * binding), so the module is loaded on first use instead of at start-up.
 * Names also used as types keep an `import type`, which loads nothing.
 *
 * Refuses (`SkillNotApplicableError`, nothing written) when a name is used
 * at module level, outside any async function, in a class's `extends`, or
 * re-exported, when the import carries attributes (`with { … }`), is
 * type-only or binds nothing, or when the file has syntax errors.
 */
export async function lazyLoadImport(
  dir: string,
  path: string,
  specifier: string,
  line?: number,
): Promise<CodemodResult> {
  const refuse = (reason: string): never => {
    throw new SkillNotApplicableError(SKILL, path, reason);
  };
  const source = await loadSource(dir, path, SKILL);
  source.getProject().manipulationSettings.set({ indentationText: indentationOf(source.getFullText()) });
  const declaration =
    findImport(source, specifier, line) ?? refuse(`it has no static import of "${specifier}"`);
  if (declaration.isTypeOnly()) refuse(`the import of "${specifier}" is type-only: it loads nothing`);
  if (declaration.getAttributes())
    refuse(`the import of "${specifier}" has attributes, which the codemod does not carry over`);
  const bindings = readBindings(declaration);
  if (bindings.length === 0)
    refuse(`the import of "${specifier}" binds no value, so it runs for its side effects`);
  if (bindings.every((b) => b.valueUses.length === 0))
    refuse(`nothing from "${specifier}" is used as a value`);
  const hosts = new Map<Node, Set<Binding>>();
  for (const binding of bindings) {
    for (const use of binding.valueUses) {
      const where = `${binding.local} (line ${use.getStartLineNumber()})`;
      if (isReexport(use)) refuse(`${where} is re-exported, so importers need it at load time`);
      if (
        use.getFirstAncestor((a) => Node.isHeritageClause(a) && a.getToken() === SyntaxKind.ExtendsKeyword)
      ) {
        refuse(`${where} is extended by a class, which needs it when the class is defined`);
      }
      const host = use.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) && isAsync(a));
      if (!host) {
        const fn = use.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a));
        refuse(
          fn
            ? `${where} is used in a function that is not async (line ${fn.getStartLineNumber()}); making it async would change its callers`
            : `${where} is used at module level`,
        );
      }
      hosts.set(host!, (hosts.get(host!) ?? new Set()).add(binding));
    }
  }
  const quote = declaration.getModuleSpecifier().getText();
  const typeImports = typeOnlyImport(declaration, bindings, quote);
  // Innermost hosts first, so an outer host's edit does not move an inner one's body.
  const ordered = [...hosts].sort((a, b) => b[0].getStart() - a[0].getStart());
  for (const [host, used] of ordered) addDynamicImport(host, [...used], quote);
  // A text edit, not `remove()`: the comments above the import (often the file's header) stay.
  const edited = source.getFullText();
  const end = declaration.getEnd();
  const eol = typeImports ? 0 : (edited.slice(end).match(/^[ \t]*\r?\n/)?.[0].length ?? 0);
  const after = edited.slice(0, declaration.getStart()) + (typeImports ?? '') + edited.slice(end + eol);
  const before = await readFile(join(dir, path), 'utf8');
  if (after === before) refuse('the change would leave the file as it is');
  await writeFilesAtomically(dir, new Map([[path, after]]));
  await formatWithRepoTool(dir, [path]);
  const names = bindings.filter((b) => b.valueUses.length > 0).map((b) => b.local);
  return {
    changedFiles: [path],
    title: `Load ${specifier} lazily in ${path}`,
    body: [
      `${path} imported ${specifier} at load time but uses ${names.join(', ')} only inside async functions.`,
      `Each of the ${hosts.size} function(s) now loads it with \`await import()\` on first use, so start-up no`,
      `longer pays for it.${typeImports ? ' Names used as types keep an `import type`, which loads nothing.' : ''}`,
    ].join('\n'),
  };
}

function findImport(
  source: SourceFile,
  specifier: string,
  line: number | undefined,
): ImportDeclaration | undefined {
  const matches = source.getImportDeclarations().filter((d) => d.getModuleSpecifierValue() === specifier);
  return matches.find((d) => line === undefined || d.getStartLineNumber() === line) ?? matches[0];
}

function readBindings(declaration: ImportDeclaration): Binding[] {
  const bindings: Binding[] = [];
  const add = (name: Identifier, imported: string) => {
    const uses = name
      .findReferencesAsNodes()
      .filter(
        (n): n is Identifier => Node.isIdentifier(n) && n.getSourceFile() === declaration.getSourceFile(),
      );
    const outside = uses.filter((n) => !n.getFirstAncestor((a) => a === declaration));
    const typeUses = outside.filter(isTypePosition);
    bindings.push({
      local: name.getText(),
      imported,
      valueUses: outside.filter((n) => !isTypePosition(n)),
      typeUses: typeUses.length,
    });
  };
  const defaultImport = declaration.getDefaultImport();
  if (defaultImport) add(defaultImport, 'default');
  const namespace = declaration.getNamespaceImport();
  if (namespace) add(namespace, '*');
  for (const spec of declaration.getNamedImports()) {
    if (spec.isTypeOnly()) continue;
    add(spec.getAliasNode() ?? spec.getNameNode().asKindOrThrow(SyntaxKind.Identifier), spec.getName());
  }
  return bindings;
}

/** Inside a type (annotation, `typeof` query, `implements`): erased, needs no module at run time. */
function isTypePosition(node: Node): boolean {
  let at = node.getParent();
  while (at && (Node.isQualifiedName(at) || Node.isPropertyAccessExpression(at))) at = at.getParent();
  if (!at) return false;
  if (Node.isExpressionWithTypeArguments(at)) {
    const clause = at.getParent();
    return Node.isHeritageClause(clause) && clause.getToken() === SyntaxKind.ImplementsKeyword;
  }
  return Node.isTypeNode(at);
}

function isReexport(use: Identifier): boolean {
  return Boolean(use.getFirstAncestor((a) => Node.isExportSpecifier(a) || Node.isExportAssignment(a)));
}

function isAsync(node: Node): boolean {
  return Node.isAsyncable(node) && node.isAsync();
}

/** `import type { … } from '…'` for the names still used as types, or undefined when none is. */
function typeOnlyImport(
  declaration: ImportDeclaration,
  bindings: Binding[],
  quote: string,
): string | undefined {
  const typed = bindings.filter((b) => b.typeUses > 0);
  const namedTypes = declaration
    .getNamedImports()
    .filter((spec) => spec.isTypeOnly())
    .map((spec) => spec.getText().replace(/^type\s+/, ''));
  const named = [
    ...namedTypes,
    ...typed
      .filter((b) => b.imported !== 'default' && b.imported !== '*')
      .map((b) => (b.imported === b.local ? b.local : `${b.imported} as ${b.local}`)),
  ];
  const parts: string[] = [];
  const semicolon = declaration.getText().trimEnd().endsWith(';') ? ';' : '';
  const namespace = typed.find((b) => b.imported === '*');
  const defaultName = typed.find((b) => b.imported === 'default');
  if (namespace) parts.push(`import type * as ${namespace.local} from ${quote}${semicolon}`);
  if (defaultName) parts.push(`import type ${defaultName.local} from ${quote}${semicolon}`);
  if (named.length) parts.push(`import type { ${named.join(', ')} } from ${quote}${semicolon}`);
  return parts.length ? parts.join('\n') : undefined;
}

function addDynamicImport(host: Node, used: Binding[], quote: string): void {
  const namespace = used.find((b) => b.imported === '*');
  const fields = used
    .filter((b) => b.imported !== '*')
    .map((b) => (b.imported === b.local ? b.local : `${b.imported}: ${b.local}`));
  const lines: string[] = [];
  if (namespace) lines.push(`const ${namespace.local} = await import(${quote});`);
  if (fields.length) {
    lines.push(
      namespace
        ? `const { ${fields.join(', ')} } = ${namespace.local};`
        : `const { ${fields.join(', ')} } = await import(${quote});`,
    );
  }
  const body = Node.isBodied(host) || Node.isBodyable(host) ? host.getBody() : undefined;
  if (!body) return;
  if (Node.isBlock(body)) body.insertStatements(0, lines.join('\n'));
  else if (Node.isBodied(host)) {
    // An expression body becomes a block: `() => x()` → `() => { const … = await import(…); return x(); }`.
    const expression = body.getText();
    body.replaceWithText('{}');
    host.setBodyText([...lines, `return ${expression};`].join('\n'));
  }
}

/** The file's own indentation, read from its first indented line, so inserted lines match it. */
function indentationOf(text: string): IndentationText {
  const indent = /^([ \t]+)[^\s*]/m.exec(text)?.[1] ?? '  ';
  if (indent.startsWith('\t')) return IndentationText.Tab;
  if (indent.length >= 8) return IndentationText.EightSpaces;
  if (indent.length >= 4) return IndentationText.FourSpaces;
  return IndentationText.TwoSpaces;
}
