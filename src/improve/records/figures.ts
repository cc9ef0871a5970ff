import type { RepoAnalysis } from '../analyse/index.js';

/** The measurements a report compares before and after a run. */
export interface RepoFigures {
  files: number;
  lines: number;
  functions: number;
  /** Sum of every file's cyclomatic complexity. */
  complexity: number;
  /** The most complex functions, worst first. */
  mostComplex: Array<{ path: string; name: string; complexity: number }>;
  largestFiles: Array<{ path: string; lines: number }>;
  duplication: { pairs: number; duplicatedLines: number; share: number };
  importCycles: number;
  filesWithSyntaxErrors: number;
  /** How long the test command took, when it ran. */
  testMs?: number;
}

const TOP = 5;

export function figuresOf(analysis: RepoAnalysis, testMs?: number): RepoFigures {
  const functions = analysis.files.flatMap((file) =>
    file.functions.map((fn) => ({ path: file.path, name: fn.name, complexity: fn.complexity })),
  );
  return {
    files: analysis.totals.files,
    lines: analysis.totals.lines,
    functions: analysis.totals.functions,
    complexity: analysis.totals.complexity,
    mostComplex: functions
      .sort((a, b) => b.complexity - a.complexity || a.path.localeCompare(b.path))
      .slice(0, TOP),
    largestFiles: analysis.files
      .map((file) => ({ path: file.path, lines: file.lines }))
      .sort((a, b) => b.lines - a.lines || a.path.localeCompare(b.path))
      .slice(0, TOP),
    duplication: {
      pairs: analysis.duplicates.pairs.length,
      duplicatedLines: analysis.duplicates.duplicatedLines,
      share: analysis.duplicates.share,
    },
    importCycles: analysis.imports.cycles.length,
    filesWithSyntaxErrors: analysis.totals.filesWithSyntaxErrors,
    ...(testMs === undefined ? {} : { testMs }),
  };
}
