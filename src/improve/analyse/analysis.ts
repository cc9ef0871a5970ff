import type { DetectedCommands } from './commands.js';
import type { ClonePair } from './duplicates.js';
import type { FileFacts } from './facts.js';
import type { ImportGraph } from './import-graph.js';
import type { SkippedPath } from './source-files.js';

/** One analysed source file: what its syntax tree says, and which bytes it was read from. */
export interface FileAnalysis extends FileFacts {
  /** Relative to the root, `/`-separated. */
  path: string;
  bytes: number;
  /** SHA-1 of the language and the content: the cache key. */
  hash: string;
}

export interface RepoTotals {
  files: number;
  lines: number;
  functions: number;
  complexity: number;
  /** Files tree-sitter had to recover in; still analysed, and flagged. */
  filesWithSyntaxErrors: number;
  byLanguage: Record<string, { files: number; lines: number }>;
}

export interface DuplicationSummary {
  pairs: ClonePair[];
  /** Lines covered by second copies (counted once even when several pairs cover them). */
  duplicatedLines: number;
  /** `duplicatedLines` over all analysed lines, 0 to 1. */
  share: number;
}

export interface AnalysisStats {
  /** Files whose facts came from the cache, and files parsed this time. */
  cachedFiles: number;
  parsedFiles: number;
  /** Whether the duplicate pairs came from the cache (nothing changed since). */
  cachedDuplicates: boolean;
  /** Whether the import graph came from the cache (no file or go.mod changed since). */
  cachedImportGraph: boolean;
  /** Why the cache could not be written, if it could not (the analysis itself is complete). */
  cacheError?: string;
  elapsedMs: number;
}

/** Everything `analyseRepo` found: the input of the plan, the repo map and the reports. */
export interface RepoAnalysis {
  /** The real path of the analysed directory. */
  root: string;
  files: FileAnalysis[];
  skipped: SkippedPath[];
  /** Files in no analysed language, counted, not read. */
  otherFiles: number;
  totals: RepoTotals;
  duplicates: DuplicationSummary;
  imports: ImportGraph;
  commands: DetectedCommands;
  stats: AnalysisStats;
}
