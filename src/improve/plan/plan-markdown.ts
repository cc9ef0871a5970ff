import type { Candidate } from './candidate.js';
import type { Plan } from './plan-improvements.js';

/** The plan as a Markdown report: one table row per candidate, then the notes. */
export function planMarkdown(plan: Plan): string {
  const lines = [
    `# Improvement plan for ${plan.root}`,
    '',
    plan.candidates.length === plan.found
      ? `${plan.found} candidate(s), best first.`
      : `${plan.candidates.length} of ${plan.found} candidates, best first.`,
    `Thresholds: files over ${plan.thresholds.maxFileLines} lines, functions over complexity ${plan.thresholds.maxComplexity}.`,
    '',
  ];
  if (plan.candidates.length > 0) {
    lines.push(
      '| # | skill | target | reason | value | risk | score | model |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    plan.candidates.forEach((candidate, k) => {
      lines.push(
        `| ${k + 1} | ${candidate.skill} | ${cell(location(candidate))} | ${cell(candidate.reason)} | ` +
          `${candidate.value.toFixed(2)} | ${candidate.risk.toFixed(2)} | ${candidate.score.toFixed(2)} | ` +
          `${candidate.needsModel ? 'needed' : 'no'} |`,
      );
    });
    lines.push('');
  }
  if (plan.notes.length > 0) lines.push('## Notes', '', ...plan.notes.map((note) => `- ${note}`), '');
  return lines.join('\n');
}

function location(candidate: Candidate): string {
  const { path, startLine, endLine } = candidate.target;
  if (startLine === undefined) return path;
  return endLine !== undefined && endLine !== startLine
    ? `${path}:${startLine}-${endLine}`
    : `${path}:${startLine}`;
}

/** Table cells cannot hold pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
