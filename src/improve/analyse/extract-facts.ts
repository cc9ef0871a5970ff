import type { Language, Node, Tree, TreeCursor } from 'web-tree-sitter';
import type { Definition, FileFacts, FunctionFacts, ImportFacts, SyntaxProblem } from './facts.js';
import { type DefinitionKind, type GrammarRules, rulesFor } from './grammar-rules.js';
import { readImports } from './imports.js';
import { isJsFamily, type SourceLanguage } from './languages.js';

/** Enough to locate the recoveries; a file with more is broken all over anyway. */
const MAX_SYNTAX_PROBLEMS = 10;
const MAX_SIGNATURE = 160;
/** tree-sitter's id for ERROR nodes, outside the grammar's own type ids. */
const ERROR_TYPE_ID = 0xffff;

interface FunctionFrame {
  depth: number;
  facts: FunctionFacts;
}

interface ClassFrame {
  depth: number;
  name: string;
  exported: boolean;
}

interface TypeTable {
  names: string[];
  named: boolean[];
}

/**
 * Node type names and whether each is named, by type id, per grammar: the
 * walk reads one id per node and looks the rest up here, because every
 * cursor property is a call into WebAssembly.
 */
const typeTables = new WeakMap<Language, TypeTable>();

function typeTableOf(language: Language): TypeTable {
  let table = typeTables.get(language);
  if (!table) {
    table = { names: [], named: [] };
    for (let id = 0; id < language.nodeTypeCount; id++) {
      table.names.push(language.nodeTypeForId(id) ?? '');
      table.named.push(language.nodeTypeIsNamed(id));
    }
    typeTables.set(language, table);
  }
  return table;
}

/**
 * Reads a file's facts from its syntax tree in one walk with a cursor:
 * functions and their complexity, definitions, references, imports, and
 * where tree-sitter had to recover from syntax errors. Node objects are made
 * only for the few nodes that need their fields (functions, definitions,
 * imports); everything else is read through the cursor.
 */
export function extractFacts(tree: Tree, source: string, language: SourceLanguage): FileFacts {
  return new FactsWalk(tree, source, language).run();
}

/** One walk over one tree: `enter` sees each node on the way down, `leave` closes what ends at a depth. */
class FactsWalk {
  private readonly rules: GrammarRules;
  private readonly names: string[];
  private readonly named: boolean[];
  /** Only a tree with errors is searched for them, node by node. */
  private readonly hasErrors: boolean;
  private readonly cursor: TreeCursor;
  private readonly sourceLines: string[];
  private readonly functions: FunctionFacts[] = [];
  private readonly definitions: Definition[] = [];
  private readonly imports: ImportFacts[] = [];
  private readonly syntaxErrors: SyntaxProblem[] = [];
  private readonly references = new Map<string, number>();
  private readonly topLevel = new Set<string>();
  /** Where definition names start, so a name is not also counted as a reference. */
  private readonly definitionNames = new Set<number>();
  private readonly fnStack: FunctionFrame[] = [];
  private readonly classStack: ClassFrame[] = [];
  /** Node types from the root down to the current node. */
  private readonly ancestors: string[] = [];
  private decisions = 0;

  constructor(
    tree: Tree,
    private readonly source: string,
    private readonly language: SourceLanguage,
  ) {
    this.rules = rulesFor(language);
    const table = typeTableOf(tree.language);
    this.names = table.names;
    this.named = table.named;
    this.hasErrors = tree.rootNode.hasError;
    this.cursor = tree.walk();
    this.sourceLines = source.split('\n');
  }

  run(): FileFacts {
    const cursor = this.cursor;
    let depth = 0;
    try {
      for (;;) {
        if (this.enter(depth) && cursor.gotoFirstChild()) {
          depth++;
          continue;
        }
        for (;;) {
          this.leave(depth);
          if (cursor.gotoNextSibling()) break;
          if (!cursor.gotoParent()) return this.facts();
          depth--;
        }
      }
    } finally {
      cursor.delete();
    }
  }

  /** Records what the current node says; answers whether its children are worth walking. */
  private enter(depth: number): boolean {
    const { cursor, rules } = this;
    const typeId = cursor.nodeTypeId;
    const type = typeId === ERROR_TYPE_ID ? 'ERROR' : (this.names[typeId] ?? '');
    this.ancestors[depth] = type;
    if (this.hasErrors && (type === 'ERROR' || cursor.nodeIsMissing)) {
      this.syntaxError(type === 'ERROR' ? 'error' : 'missing');
    }
    const named = typeId === ERROR_TYPE_ID || this.named[typeId] === true;
    if (rules.decisions.has(type) || (!named && rules.decisionTokens.has(type))) {
      this.decisions++;
      const frame = this.fnStack.at(-1);
      if (frame) frame.facts.complexity++;
    }
    if (!named) return true;
    let descend = true;
    if (rules.identifiers.has(type)) this.reference(type);
    else if (
      rules.imports.has(type) &&
      (type !== 'call_expression' || callsImportOrRequire(cursor, this.names))
    ) {
      const read = readImports(cursor.currentNode, this.language, this.fnStack.length === 0);
      this.imports.push(...read.imports);
      descend = read.descend;
    }
    if (this.fnStack.length === 0 && (rules.definitions.has(type) || rules.variableHolders.has(type))) {
      this.define(type, depth);
    }
    if (rules.classes.has(type)) {
      const name = cursor.currentNode.childForFieldName('name')?.text ?? '(anonymous class)';
      this.classStack.push({ depth, name, exported: this.ancestors[depth - 1] === 'export_statement' });
    }
    if (rules.functions.has(type)) this.openFunction(depth);
    return descend;
  }

  private leave(depth: number): void {
    if (this.fnStack.at(-1)?.depth === depth) this.functions.push(this.fnStack.pop()!.facts);
    if (this.classStack.at(-1)?.depth === depth) this.classStack.pop();
  }

  private syntaxError(kind: SyntaxProblem['kind']): void {
    if (this.syntaxErrors.length >= MAX_SYNTAX_PROBLEMS) return;
    const at = this.cursor.startPosition;
    this.syntaxErrors.push({ line: at.row + 1, column: at.column + 1, kind });
  }

  private reference(type: string): void {
    if (this.definitionNames.has(this.cursor.startIndex)) return;
    const text = this.cursor.nodeText;
    this.references.set(text, (this.references.get(text) ?? 0) + 1);
    if (this.fnStack.length === 0 && type === this.rules.valueIdentifier) this.topLevel.add(text);
  }

  private define(type: string, depth: number): void {
    const { ancestors, language, rules } = this;
    const context = {
      type,
      parent: ancestors[depth - 1],
      grandparent: ancestors[depth - 2],
      language,
      rules,
    };
    for (const found of definitionsAt(this.cursor.currentNode, context, this.classStack.at(-1))) {
      this.definitionNames.add(found.nameStart);
      this.definitions.push({
        ...found.definition,
        signature: signatureAt(this.sourceLines, found.definition.line),
      });
    }
  }

  private openFunction(depth: number): void {
    const node = this.cursor.currentNode;
    const startLine = node.startPosition.row + 1;
    const endLine = node.endPosition.row + 1;
    // A method is a function directly in a class body, not one nested in another function there.
    const owner = this.classStack.at(-1);
    const member = owner !== undefined && (this.fnStack.at(-1)?.depth ?? -1) < owner.depth;
    const name = functionName(node, member ? owner : undefined);
    this.fnStack.push({
      depth,
      facts: { name, startLine, endLine, lines: endLine - startLine + 1, complexity: 1 },
    });
  }

  private facts(): FileFacts {
    return {
      language: this.language,
      lines: countLines(this.source),
      complexity: 1 + this.decisions,
      syntaxErrors: this.syntaxErrors,
      functions: this.functions.sort((a, b) => a.startLine - b.startLine),
      definitions: this.definitions,
      references: Object.fromEntries(this.references),
      topLevelReferences: [...this.topLevel],
      imports: this.imports,
    };
  }
}

interface DefinitionContext {
  type: string;
  parent: string | undefined;
  grandparent: string | undefined;
  language: SourceLanguage;
  rules: GrammarRules;
}

interface FoundDefinition {
  definition: Omit<Definition, 'signature'>;
  /** Where its name starts, so the name is not also counted as a reference. */
  nameStart: number;
}

/** The definitions a module-level (or class-level) node makes. */
function definitionsAt(
  node: Node,
  context: DefinitionContext,
  inClass: ClassFrame | undefined,
): FoundDefinition[] {
  const { type, rules, language } = context;
  const kind = rules.definitions.get(type);
  if (kind !== undefined) {
    if (kind === 'method' && language !== 'go' && !inClass) return [];
    const name = node.childForFieldName('name');
    if (!name) return [];
    const method = kind === 'method' || (kind === 'function' && inClass !== undefined);
    const container = method ? (inClass?.name ?? goReceiver(node)) : undefined;
    const exported =
      method && inClass && isJsFamily(language) ? inClass.exported : isExported(name.text, context);
    return [found(node, name, method ? 'method' : kind, exported, container)];
  }
  return variablesOf(node, context);
}

function variablesOf(node: Node, context: DefinitionContext): FoundDefinition[] {
  const { language } = context;
  if (isJsFamily(language)) {
    if (context.parent !== 'program' && context.parent !== 'export_statement') return [];
    return node.namedChildren.flatMap((declarator) => {
      const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
      if (!declarator || name?.type !== 'identifier') return [];
      const value = declarator.childForFieldName('value')?.type;
      const fn = value === 'arrow_function' || value === 'function_expression' || value === 'function';
      const constant = node.children.some((child) => child?.type === 'const');
      return [
        found(
          declarator,
          name,
          fn ? 'function' : constant ? 'constant' : 'variable',
          isExported(name.text, context),
        ),
      ];
    });
  }
  if (language === 'python') {
    if (context.parent !== 'module') return [];
    const assignment = node.namedChildren[0];
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    if (!assignment || left?.type !== 'identifier') return [];
    const kind = /^[A-Z][A-Z0-9_]*$/.test(left.text) ? 'constant' : 'variable';
    return [found(assignment, left, kind, isExported(left.text, context))];
  }
  const kind: DefinitionKind = context.type === 'const_declaration' ? 'constant' : 'variable';
  return node
    .descendantsOfType(['const_spec', 'var_spec'])
    .flatMap((spec) =>
      (spec?.childrenForFieldName('name') ?? []).flatMap((name) =>
        name && spec ? [found(spec, name, kind, isExported(name.text, context))] : [],
      ),
    );
}

function found(
  node: Node,
  name: Node,
  kind: DefinitionKind,
  exported: boolean,
  container?: string,
): FoundDefinition {
  return {
    definition: {
      name: name.text,
      kind,
      ...(container === undefined ? {} : { container }),
      line: node.startPosition.row + 1,
      endLine: node.endPosition.row + 1,
      exported,
    },
    nameStart: name.startIndex,
  };
}

function isExported(name: string, context: DefinitionContext): boolean {
  if (context.language === 'python') return !name.startsWith('_');
  if (context.language === 'go') return /^[A-Z]/.test(name);
  return context.parent === 'export_statement' || context.grandparent === 'export_statement';
}

/** A Go method's receiver type: `func (t *Tree) Walk()` → `Tree`. */
function goReceiver(node: Node): string | undefined {
  const receiver = node.childForFieldName('receiver');
  const type = receiver?.descendantsOfType('type_identifier')[0];
  return type?.text;
}

/** What to call a function: its own name, the variable or property it is assigned to, or `(anonymous)`. */
function functionName(node: Node, owner: ClassFrame | undefined): string {
  let name = node.childForFieldName('name')?.text;
  const parent = node.parent;
  if (name === undefined && parent) {
    const target =
      parent.type === 'variable_declarator' ||
      parent.type === 'public_field_definition' ||
      parent.type === 'field_definition'
        ? (parent.childForFieldName('name') ?? parent.childForFieldName('property'))
        : parent.type === 'pair'
          ? parent.childForFieldName('key')
          : parent.type === 'assignment_expression' || parent.type === 'assignment'
            ? parent.childForFieldName('left')
            : null;
    name = target?.text;
  }
  if (name === undefined) return '(anonymous)';
  if (node.type === 'method_declaration') {
    const receiver = goReceiver(node);
    return receiver ? `${receiver}.${name}` : name;
  }
  return owner ? `${owner.name}.${name}` : name;
}

/** Peeks at a call's callee through the cursor, so only `import(...)` and `require(...)` cost a node object. */
function callsImportOrRequire(cursor: TreeCursor, names: readonly string[]): boolean {
  if (!cursor.gotoFirstChild()) return false;
  const type = names[cursor.nodeTypeId];
  const yes = type === 'import' || (type === 'identifier' && cursor.nodeText === 'require');
  cursor.gotoParent();
  return yes;
}

function signatureAt(lines: readonly string[], line: number): string {
  const text = (lines[line - 1] ?? '').trim();
  return text.length > MAX_SIGNATURE ? `${text.slice(0, MAX_SIGNATURE - 1)}…` : text;
}

function countLines(source: string): number {
  if (source === '') return 0;
  let count = 1;
  for (let k = source.indexOf('\n'); k >= 0; k = source.indexOf('\n', k + 1)) count++;
  return source.endsWith('\n') ? count - 1 : count;
}
