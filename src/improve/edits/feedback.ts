import type { MatchFailure } from './errors.js';

/**
 * The message a model gets back when its blocks did not apply: each failed
 * block as it wrote it, why, and the closest real lines, so its one retry
 * can copy them. Since nothing was written, it says which blocks matched and
 * will go in together with the corrections.
 */
export function matchFeedback(failures: readonly MatchFailure[], total: number): string {
  const parts: string[] = [
    `# ${failures.length} of ${total} SEARCH/REPLACE block(s) failed to apply; no file was changed`,
  ];
  for (const failure of failures) {
    const { block } = failure;
    parts.push(
      `## ${block.path} (block ${failure.index + 1}, line ${block.line} of your reply): ${failure.detail}`,
      ['<<<<<<< SEARCH', `${endLine(block.search)}=======`, `${endLine(block.replace)}>>>>>>> REPLACE`].join(
        '\n',
      ),
    );
    if (failure.didYouMean) {
      parts.push(
        `Did you mean these lines of ${block.path}? (The numbers are not part of the file.)`,
        `\`\`\`\n${failure.didYouMean}\n\`\`\``,
      );
    }
    if (failure.alreadyApplied) {
      parts.push(`The REPLACE lines are already in ${block.path}: is this block needed at all?`);
    }
  }
  parts.push(
    'The SEARCH part must match the file exactly once, with the same lines, comments and indentation. ' +
      'Add neighbouring lines when it matches more than one place.',
  );
  const passed = total - failures.length;
  if (passed > 0) {
    parts.push(
      `The other ${passed} block(s) matched and will be applied together with your corrections: ` +
        'reply with corrected versions of the failed block(s) only.',
    );
  }
  return parts.join('\n\n');
}

function endLine(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
