import { isJsFamily, type SourceLanguage } from './languages.js';

export type DefinitionKind =
  | 'function'
  | 'method'
  | 'class'
  | 'interface'
  | 'type'
  | 'enum'
  | 'variable'
  | 'constant';

/** What the facts extractor needs to know about one grammar's node types. */
export interface GrammarRules {
  /** Nodes that open a function body: complexity is counted per function. */
  functions: ReadonlySet<string>;
  /** Nodes whose name qualifies the methods inside them. */
  classes: ReadonlySet<string>;
  /**
   * Nodes that add a path through the code (McCabe): branches, loops,
   * cases, catch clauses, conditional expressions, comprehension filters.
   */
  decisions: ReadonlySet<string>;
  /** Anonymous tokens that do the same: short-circuit operators. */
  decisionTokens: ReadonlySet<string>;
  /** Leaves that name something; their texts are the file's references (for the repo map's graph). */
  identifiers: ReadonlySet<string>;
  /** The leaf naming a value (not a type or property): the uses that run when the module loads. */
  valueIdentifier: string;
  /** Declarations recorded as definitions when they sit at module level (or directly in a class). */
  definitions: ReadonlyMap<string, DefinitionKind>;
  /** Module-level nodes whose variables are definitions (`const x = ...`, `X = 1`, `var V = 1`). */
  variableHolders: ReadonlySet<string>;
  /** Nodes that are, or may be, imports; read whole and not descended into when they are. */
  imports: ReadonlySet<string>;
}

const JS_RULES: GrammarRules = {
  functions: new Set([
    'function_declaration',
    'generator_function_declaration',
    'function_expression',
    'function',
    'generator_function',
    'arrow_function',
    'method_definition',
  ]),
  classes: new Set(['class_declaration', 'abstract_class_declaration', 'class']),
  decisions: new Set([
    'if_statement',
    'for_statement',
    'for_in_statement',
    'while_statement',
    'do_statement',
    'switch_case',
    'catch_clause',
    'ternary_expression',
  ]),
  decisionTokens: new Set(['&&', '||', '??']),
  // Property names are left out: `x.run` says nothing about which `run`, and common member names would drown the graph.
  identifiers: new Set(['identifier', 'type_identifier', 'shorthand_property_identifier']),
  valueIdentifier: 'identifier',
  definitions: new Map<string, DefinitionKind>([
    ['function_declaration', 'function'],
    ['generator_function_declaration', 'function'],
    ['class_declaration', 'class'],
    ['abstract_class_declaration', 'class'],
    ['interface_declaration', 'interface'],
    ['type_alias_declaration', 'type'],
    ['enum_declaration', 'enum'],
    ['method_definition', 'method'],
  ]),
  variableHolders: new Set(['lexical_declaration', 'variable_declaration']),
  imports: new Set(['import_statement', 'export_statement', 'call_expression']),
};

const PYTHON_RULES: GrammarRules = {
  functions: new Set(['function_definition', 'lambda']),
  classes: new Set(['class_definition']),
  decisions: new Set([
    'if_statement',
    'elif_clause',
    'for_statement',
    'while_statement',
    'except_clause',
    'conditional_expression',
    'for_in_clause',
    'if_clause',
    'case_clause',
  ]),
  decisionTokens: new Set(['and', 'or']),
  identifiers: new Set(['identifier']),
  valueIdentifier: 'identifier',
  definitions: new Map<string, DefinitionKind>([
    ['function_definition', 'function'],
    ['class_definition', 'class'],
  ]),
  variableHolders: new Set(['expression_statement']),
  imports: new Set(['import_statement', 'import_from_statement']),
};

const GO_RULES: GrammarRules = {
  functions: new Set(['function_declaration', 'method_declaration', 'func_literal']),
  classes: new Set(),
  decisions: new Set(['if_statement', 'for_statement', 'expression_case', 'type_case', 'communication_case']),
  decisionTokens: new Set(['&&', '||']),
  identifiers: new Set(['identifier', 'type_identifier']),
  valueIdentifier: 'identifier',
  definitions: new Map<string, DefinitionKind>([
    ['function_declaration', 'function'],
    ['method_declaration', 'method'],
    ['type_spec', 'type'],
  ]),
  variableHolders: new Set(['const_declaration', 'var_declaration']),
  imports: new Set(['import_declaration']),
};

export function rulesFor(language: SourceLanguage): GrammarRules {
  if (isJsFamily(language)) return JS_RULES;
  return language === 'python' ? PYTHON_RULES : GO_RULES;
}
