import type { RepoAnalysis } from '../analyse/index.js';
import { isJsFamily } from '../analyse/index.js';
import { type Candidate, isTestFile, scored } from './candidate.js';

export const DEFAULT_MAX_FILE_LINES = 500;

/**
 * Files over the size threshold, to split into cohesive modules behind a
 * facade. The value grows with how far over the threshold a file is; the
 * risk is low where the deterministic codemod works (TypeScript and
 * JavaScript), higher where a model must do it, and high when one function
 * fills most of the file (no grouping of declarations can shrink that).
 */
export function splitFileCandidates(analysis: RepoAnalysis, maxLines = DEFAULT_MAX_FILE_LINES): Candidate[] {
  const importers = new Map<string, number>();
  for (const edge of analysis.imports.edges) importers.set(edge.to, (importers.get(edge.to) ?? 0) + 1);
  const candidates: Candidate[] = [];
  for (const file of analysis.files) {
    if (file.lines <= maxLines || file.syntaxErrors.length > 0) continue;
    const largestFunction = Math.max(0, ...file.functions.map((fn) => fn.lines));
    const codemod = isJsFamily(file.language);
    const dominated = largestFunction > file.lines / 2;
    const test = isTestFile(file.path);
    const value = (1 - maxLines / file.lines) * (test ? 0.5 : 1);
    const risk =
      (codemod ? 0.15 : 0.4) + (dominated ? 0.4 : 0) + Math.min(0.2, (importers.get(file.path) ?? 0) / 100);
    candidates.push(
      scored({
        id: `split-file:${file.path}`,
        skill: 'split-file',
        target: { path: file.path, startLine: 1, endLine: file.lines },
        related: [],
        reason:
          `${file.path} has ${file.lines} lines, over the ${maxLines}-line threshold` +
          (dominated
            ? `; one function alone has ${largestFunction} lines, so splitting needs that function simplified too`
            : ''),
        figures: {
          lines: file.lines,
          threshold: maxLines,
          definitions: file.definitions.length,
          importers: importers.get(file.path) ?? 0,
          largestFunctionLines: largestFunction,
        },
        value,
        risk,
        needsModel: !codemod,
      }),
    );
  }
  return candidates;
}
