import type { DefinitionKind } from './grammar-rules.js';
import type { SourceLanguage } from './languages.js';

/** One function, method, arrow function or lambda. */
export interface FunctionFacts {
  /** `name`, `Class.method`, `Type.Method` (Go), or `(anonymous)`. */
  name: string;
  startLine: number;
  endLine: number;
  lines: number;
  /** McCabe: 1 plus its branches, loops, cases, catches and short-circuit operators (nested functions apart). */
  complexity: number;
}

/** A named declaration at module level or directly in a class. */
export interface Definition {
  name: string;
  kind: DefinitionKind;
  /** The class (or Go receiver type) a method belongs to. */
  container?: string;
  line: number;
  endLine: number;
  /** Visible to other modules: `export` (JS/TS), no leading `_` (Python), a capital (Go). */
  exported: boolean;
  /** The declaration's first line, trimmed and shortened: what a repo map shows. */
  signature: string;
}

/** `static` and `type` are top-of-module `import`s; `reexport` is `export ... from`. */
export type ImportKind = 'static' | 'type' | 'reexport' | 'dynamic' | 'require';

export interface ImportFacts {
  /** As written: `./x.js`, `node:fs`, `..pkg.mod` (Python), `example.com/m/util` (Go). */
  specifier: string;
  kind: ImportKind;
  line: number;
  /** Runs when the module loads, rather than inside a function. */
  topLevel: boolean;
  /** The local names it binds (`*` for a namespace or wildcard); empty for a side-effect import. */
  names: string[];
}

export interface SyntaxProblem {
  line: number;
  column: number;
  /** `error`: text the grammar could not place; `missing`: a token the parser had to assume. */
  kind: 'error' | 'missing';
}

/** What one file's syntax tree says; stored in the analysis cache under the file's content hash. */
export interface FileFacts {
  language: SourceLanguage;
  lines: number;
  /** 1 plus every decision in the file. */
  complexity: number;
  /** Where tree-sitter had to recover (first few); the rest of the file is still analysed. */
  syntaxErrors: SyntaxProblem[];
  functions: FunctionFacts[];
  definitions: Definition[];
  /** Identifier texts used in the file (definitions' own names aside), with counts. */
  references: Record<string, number>;
  /** Value identifiers used outside any function: what runs as the module loads. */
  topLevelReferences: string[];
  imports: ImportFacts[];
}
