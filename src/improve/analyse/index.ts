export { type AnalyseOptions, analyseRepo } from './analyse-repo.js';
export type {
  AnalysisStats,
  DuplicationSummary,
  FileAnalysis,
  RepoAnalysis,
  RepoTotals,
} from './analysis.js';
export { CACHE_VERSION } from './analysis-cache.js';
export {
  ALL_TESTS,
  type Baseline,
  type BaselineCommands,
  type BaselineComparison,
  type BaselineOptions,
  type CheckRun,
  compareToBaseline,
  DEFAULT_BASELINE_TIMEOUT_MS,
  type DiagnosticsRun,
  runBaseline,
  type TestRun,
} from './baseline.js';
export {
  type CommandPurpose,
  type DetectedCommand,
  type DetectedCommands,
  detectCommands,
} from './commands.js';
export { type Diagnostic, diagnosticKey, parseDiagnostics } from './diagnostics.js';
export {
  type ClonePair,
  type CloneSide,
  DEFAULT_MIN_LINES,
  DEFAULT_MIN_TOKENS,
  type DuplicateOptions,
  findDuplicates,
  type TokenisedFile,
} from './duplicates.js';
export type {
  Definition,
  FileFacts,
  FunctionFacts,
  ImportFacts,
  ImportKind,
  SyntaxProblem,
} from './facts.js';
export type { DefinitionKind } from './grammar-rules.js';
export type { ImportEdge, ImportGraph } from './import-graph.js';
export { isJsFamily, languageOf, SOURCE_LANGUAGES, type SourceLanguage } from './languages.js';
export { type Tokens, tokenize } from './lexer.js';
export { DEFAULT_MAP_TOKENS, type RepoMap, type RepoMapOptions, repoMap } from './repo-map.js';
export { type CommandRun, type RunCommandOptions, runCommand } from './run-command.js';
export { DEFAULT_MAX_FILE_BYTES, DEFAULT_SKIPPED_DIRS, type SkippedPath } from './source-files.js';
export type { TestResult, TestStatus } from './test-results.js';
export { type TestInvocation, type TestRunnerKind, testInvocation } from './test-runners.js';
