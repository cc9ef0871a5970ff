import type { RepoAnalysis } from '../analyse/index.js';
import { type Candidate, isTestFile, scored } from './candidate.js';

/** McCabe's own line was 10; above 15 a function is hard to test path by path. */
export const DEFAULT_MAX_COMPLEXITY = 15;

/**
 * The most complex functions, for a model to simplify. Value grows with the
 * complexity over the threshold; rewriting logic is risky, more so the
 * longer the function.
 */
export function simplifyCandidates(
  analysis: RepoAnalysis,
  maxComplexity = DEFAULT_MAX_COMPLEXITY,
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const file of analysis.files) {
    if (file.syntaxErrors.length > 0) continue;
    for (const fn of file.functions) {
      if (fn.complexity <= maxComplexity) continue;
      const value = (1 - maxComplexity / fn.complexity) * (isTestFile(file.path) ? 0.5 : 1);
      candidates.push(
        scored({
          id: `simplify:${file.path}:${fn.startLine}`,
          skill: 'simplify',
          target: { path: file.path, startLine: fn.startLine, endLine: fn.endLine, symbol: fn.name },
          related: [],
          reason: `${fn.name} (${file.path}:${fn.startLine}) has a cyclomatic complexity of ${fn.complexity}, over ${maxComplexity}`,
          figures: { complexity: fn.complexity, threshold: maxComplexity, lines: fn.lines },
          value,
          risk: 0.45 + Math.min(0.35, fn.lines / 1000),
          needsModel: true,
        }),
      );
    }
  }
  return candidates;
}
