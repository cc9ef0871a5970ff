import {
  type ImportDeclaration,
  Node,
  type SourceFile,
  type Statement,
  SyntaxKind,
  type Symbol as TsSymbol,
} from 'ts-morph';
import { SkillNotApplicableError } from '../errors.js';

/** One or more top-level statements that declare the same names (overloads, merged declarations). */
export interface Declaration {
  id: number;
  statements: Statement[];
  names: string[];
  /** Names the original file exports through an `export` modifier (`default` for `export default function f`). */
  exported: boolean;
  isDefault: boolean;
  /** Interfaces and type aliases only: imported and re-exported with `import type` / `export type`. */
  typeOnly: boolean;
  text: string;
  lines: number;
  /** Other declarations used, by id, with the local names used. */
  uses: Map<number, Set<string>>;
  /** Those used while the module loads (initialisers, `extends`, decorators, static fields), not only in bodies or types. */
  loadUses: Set<number>;
  /** Import bindings used, by import index, with their local names. */
  importUses: Map<number, Set<string>>;
}

/** `export { a, b as c }` or `export default a` naming a local declaration. */
export interface LocalExport {
  local: string;
  exported: string;
  typeOnly: boolean;
}

export interface FileModel {
  source: SourceFile;
  imports: ImportDeclaration[];
  declarations: Declaration[];
  localExports: LocalExport[];
  /** Statements the facade keeps: `export … from`, anonymous default exports, trailing top-level code. */
  residual: Statement[];
  /** Declarations and import bindings the residual statements use. */
  residualUses: Map<number, Set<string>>;
  residualImportUses: Map<number, Set<string>>;
}

const SKILL = 'split-file';

/**
 * Reads a file's top level as the split sees it: declarations (merged by
 * name), the import bindings and declarations each one uses (resolved by
 * symbol, so a property called like a function does not count), and what the
 * facade must keep. Refuses what a split cannot carry safely: CommonJS
 * (`export =`, `import x = require`), top-level code with declarations after
 * it (its order against them matters), and code that computes paths from its
 * own location (`import.meta`, `__dirname`, relative `require` or dynamic
 * `import()`), which would break once moved into a folder.
 */
export function readFileModel(source: SourceFile, path: string): FileModel {
  const refuse = (reason: string): never => {
    throw new SkillNotApplicableError(SKILL, path, reason);
  };
  const imports: ImportDeclaration[] = [];
  const declarations: Declaration[] = [];
  const localExports: LocalExport[] = [];
  const residual: Statement[] = [];
  const byName = new Map<string, Declaration>();
  const ownerOf = new Map<Statement, number>();
  let lastDeclarationLine = 0;
  let firstCodeLine: number | undefined;
  for (const statement of source.getStatements()) {
    const line = statement.getStartLineNumber();
    if (Node.isImportDeclaration(statement)) {
      imports.push(statement);
      continue;
    }
    if (Node.isImportEqualsDeclaration(statement))
      refuse(`line ${line}: \`import … = require()\` (CommonJS) is not split`);
    if (Node.isExportAssignment(statement)) {
      if (statement.isExportEquals()) refuse(`line ${line}: \`export =\` (CommonJS) is not split`);
      const expression = statement.getExpression();
      if (Node.isIdentifier(expression)) {
        localExports.push({ local: expression.getText(), exported: 'default', typeOnly: false });
      } else residual.push(statement);
      continue;
    }
    if (Node.isExportDeclaration(statement)) {
      if (statement.getModuleSpecifier()) residual.push(statement);
      else {
        for (const spec of statement.getNamedExports()) {
          localExports.push({
            local: spec.getNameNode().getText(),
            exported: spec.getAliasNode()?.getText() ?? spec.getNameNode().getText(),
            typeOnly: statement.isTypeOnly() || spec.isTypeOnly(),
          });
        }
      }
      continue;
    }
    const names = declaredNames(statement);
    if (names === undefined) {
      if (Node.isExpressionStatement(statement) && /^['"]use strict['"];?$/.test(statement.getText()))
        continue;
      if (Node.isEmptyStatement(statement)) continue;
      firstCodeLine ??= line;
      residual.push(statement);
      continue;
    }
    if (names.length === 0) {
      // `export default function () {}`: nothing names it, so the facade keeps it.
      residual.push(statement);
      continue;
    }
    if (emitsCode(statement)) lastDeclarationLine = line;
    const merged = names.map((n) => byName.get(n)).find((d) => d !== undefined);
    const declaration = merged ?? newDeclaration(declarations.length);
    if (!merged) declarations.push(declaration);
    declaration.statements.push(statement);
    for (const name of names) {
      if (!declaration.names.includes(name)) declaration.names.push(name);
      byName.set(name, declaration);
    }
    ownerOf.set(statement, declaration.id);
  }
  if (firstCodeLine !== undefined && lastDeclarationLine > firstCodeLine) {
    refuse(
      `line ${firstCodeLine} runs code at load time before declarations that follow it; its order against them matters`,
    );
  }
  for (const d of declarations) finishDeclaration(d);
  const importIndex = new Map(imports.map((decl, i) => [decl as Node, i]));
  const resolve = resolver(source, ownerOf, importIndex);
  for (const d of declarations) {
    for (const statement of d.statements) {
      checkLocationFree(statement, refuse);
      collectUses(statement, resolve, d.uses, d.importUses, d);
    }
  }
  keepWritersTogether(source, declarations, ownerOf);
  const residualUses = new Map<number, Set<string>>();
  const residualImportUses = new Map<number, Set<string>>();
  for (const statement of residual) collectUses(statement, resolve, residualUses, residualImportUses);
  return { source, imports, declarations, localExports, residual, residualUses, residualImportUses };
}

/** Interfaces, type aliases and `declare` statements leave no code behind: their order against load-time code is moot. */
function emitsCode(statement: Statement): boolean {
  if (Node.isInterfaceDeclaration(statement) || Node.isTypeAliasDeclaration(statement)) return false;
  return !(Node.isAmbientable(statement) && statement.hasDeclareKeyword());
}

function newDeclaration(id: number): Declaration {
  return {
    id,
    statements: [],
    names: [],
    exported: false,
    isDefault: false,
    typeOnly: true,
    text: '',
    lines: 0,
    uses: new Map(),
    loadUses: new Set(),
    importUses: new Map(),
  };
}

function finishDeclaration(d: Declaration): void {
  d.statements.sort((a, b) => a.getPos() - b.getPos());
  d.exported = d.statements.some((s) => Node.isExportable(s) && s.hasExportKeyword());
  d.isDefault = d.statements.some((s) => Node.isExportable(s) && s.hasDefaultKeyword());
  d.typeOnly = d.statements.every((s) => Node.isInterfaceDeclaration(s) || Node.isTypeAliasDeclaration(s));
  d.text = d.statements.map((s) => s.getFullText().replace(/^\s*\n/, '')).join('\n');
  d.lines = d.text.split('\n').length + 1;
}

/** The names a top-level statement declares; `undefined` for a statement that is not a declaration. */
function declaredNames(statement: Statement): string[] | undefined {
  if (Node.isVariableStatement(statement)) {
    return statement.getDeclarations().flatMap((d) => bindingNames(d.getNameNode()));
  }
  if (
    Node.isFunctionDeclaration(statement) ||
    Node.isClassDeclaration(statement) ||
    Node.isInterfaceDeclaration(statement) ||
    Node.isTypeAliasDeclaration(statement) ||
    Node.isEnumDeclaration(statement)
  ) {
    const name = statement.getName();
    return name ? [name] : [];
  }
  if (Node.isModuleDeclaration(statement)) {
    // `declare module 'x'` and `declare global` augment other scopes: the facade keeps them.
    const name = statement.getName();
    return /^['"]/.test(name) || name === 'global' ? undefined : [name.split('.')[0]!];
  }
  return undefined;
}

function bindingNames(node: Node): string[] {
  if (Node.isIdentifier(node)) return [node.getText()];
  return node.getDescendantsOfKind(SyntaxKind.BindingElement).flatMap((element) => {
    const name = element.getNameNode();
    return Node.isIdentifier(name) ? [name.getText()] : [];
  });
}

type Resolved = { declaration: number } | { importIndex: number } | undefined;

/** What a name in the file refers to: a top-level declaration, an import binding, or something else. */
function resolver(
  source: SourceFile,
  ownerOf: Map<Statement, number>,
  importIndex: Map<Node, number>,
): (symbol: TsSymbol | undefined) => Resolved {
  const cache = new Map<TsSymbol, Resolved>();
  return (symbol) => {
    if (!symbol) return undefined;
    if (cache.has(symbol)) return cache.get(symbol);
    let result: Resolved;
    for (const declaration of symbol.getDeclarations()) {
      const top = topLevelOf(declaration, source);
      if (!top) continue;
      const imported = importIndex.get(top);
      if (imported !== undefined) result = { importIndex: imported };
      else {
        const owner = ownerOf.get(top as Statement);
        // A member (`Kind.Number`, a method) belongs to its declaration but is not one of its names.
        if (owner !== undefined && declaresTopLevelName(declaration, top)) result = { declaration: owner };
      }
      if (result) break;
    }
    cache.set(symbol, result);
    return result;
  };
}

/** The top-level statement a node is in (itself, if it is one). */
function topLevelOf(node: Node, source: SourceFile): Node | undefined {
  let at: Node | undefined = node;
  while (at && at.getParent() !== source) at = at.getParent();
  return at;
}

/** The node declares the statement's own name: the statement itself, or a variable (or destructured binding) of it. */
function declaresTopLevelName(declaration: Node, top: Node): boolean {
  if (declaration === top) return true;
  if (!Node.isVariableDeclaration(declaration) && !Node.isBindingElement(declaration)) return false;
  for (let at: Node | undefined = declaration.getParent(); at && at !== top; at = at.getParent()) {
    if (
      !Node.isVariableDeclarationList(at) &&
      !Node.isVariableDeclaration(at) &&
      !Node.isObjectBindingPattern(at) &&
      !Node.isArrayBindingPattern(at) &&
      !Node.isBindingElement(at)
    ) {
      return false;
    }
  }
  return true;
}

function collectUses(
  statement: Statement,
  resolve: (symbol: TsSymbol | undefined) => Resolved,
  uses: Map<number, Set<string>>,
  importUses: Map<number, Set<string>>,
  self?: Declaration,
): void {
  const checker = statement.getProject().getTypeChecker();
  for (const id of statement.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const parent = id.getParent();
    const symbol = Node.isShorthandPropertyAssignment(parent)
      ? checker.getShorthandAssignmentValueSymbol(parent)
      : id.getSymbol();
    const target = resolve(symbol);
    if (!target) continue;
    const name = id.getText();
    if ('declaration' in target) {
      if (target.declaration === self?.id) continue;
      uses.set(target.declaration, (uses.get(target.declaration) ?? new Set()).add(name));
      if (self && atLoadTime(id, statement)) self.loadUses.add(target.declaration);
    } else {
      importUses.set(target.importIndex, (importUses.get(target.importIndex) ?? new Set()).add(name));
    }
  }
}

/**
 * Whether a reference is evaluated while the module loads: not inside a
 * function, method or accessor body, an instance field, or a type. A class's
 * `extends` clause and decorators are evaluated with the class.
 */
function atLoadTime(id: Node, statement: Statement): boolean {
  for (let at: Node | undefined = id.getParent(); at && at !== statement.getParent(); at = at.getParent()) {
    if (Node.isExpressionWithTypeArguments(at)) {
      const clause = at.getParent();
      if (
        Node.isHeritageClause(clause) &&
        clause.getToken() === SyntaxKind.ExtendsKeyword &&
        Node.isClassLikeDeclarationBase(clause.getParent())
      )
        continue;
      return false;
    }
    if (Node.isDecorator(at)) {
      at = at.getParent();
      continue;
    }
    if (Node.isTypeNode(at) || Node.isFunctionLikeDeclaration(at)) return false;
    if (Node.isInterfaceDeclaration(at) || Node.isTypeAliasDeclaration(at)) return false;
    if (Node.isPropertyDeclaration(at) && !at.isStatic()) return false;
  }
  return true;
}

/**
 * An importer cannot assign to an imported binding: a declaration that
 * assigns a top-level `let`/`var` of another must stay in its module, so the
 * two are made to use each other (a cycle, which keeps them together).
 */
function keepWritersTogether(
  source: SourceFile,
  declarations: Declaration[],
  ownerOf: Map<Statement, number>,
): void {
  for (const d of declarations) {
    for (const statement of d.statements) {
      for (const node of statement.getDescendants()) {
        const target = assignedIdentifier(node);
        if (!target) continue;
        const symbol = target.getSymbol();
        for (const decl of symbol?.getDeclarations() ?? []) {
          const top = topLevelOf(decl, source) as Statement | undefined;
          const owner = top ? ownerOf.get(top) : undefined;
          if (owner === undefined || owner === d.id) continue;
          const other = declarations[owner]!;
          other.uses.set(d.id, other.uses.get(d.id) ?? new Set());
          d.uses.set(owner, (d.uses.get(owner) ?? new Set()).add(target.getText()));
          other.loadUses.add(d.id);
          d.loadUses.add(owner);
        }
      }
    }
  }
}

function assignedIdentifier(node: Node): Node | undefined {
  if (Node.isBinaryExpression(node)) {
    const kind = node.getOperatorToken().getKind();
    if (kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment) {
      const left = node.getLeft();
      return Node.isIdentifier(left) ? left : undefined;
    }
  }
  if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) {
    const operand = node.getOperand();
    const op = node.getOperatorToken();
    if (
      (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken) &&
      Node.isIdentifier(operand)
    ) {
      return operand;
    }
  }
  return undefined;
}

function checkLocationFree(statement: Statement, refuse: (reason: string) => never): void {
  const line = (node: Node) => `line ${node.getStartLineNumber()}`;
  for (const meta of statement.getDescendantsOfKind(SyntaxKind.MetaProperty)) {
    if (meta.getText() === 'import.meta')
      refuse(`${line(meta)} uses import.meta, which would change meaning in a new folder`);
  }
  for (const id of statement.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const text = id.getText();
    if (text === '__dirname' || text === '__filename')
      refuse(`${line(id)} uses ${text}, which would change in a new folder`);
  }
  for (const call of statement.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression().getText();
    const [first] = call.getArguments();
    if ((callee === 'require' || callee === 'import') && first && /^['"`]\.{1,2}\//.test(first.getText())) {
      refuse(
        `${line(call)} loads a relative path at run time (${callee}), which would break in a new folder`,
      );
    }
  }
  for (const type of statement.getDescendantsOfKind(SyntaxKind.ImportType)) {
    if (/^['"`]\.{1,2}\//.test(type.getArgument().getText()))
      refuse(`${line(type)} has a relative import() type`);
  }
}
