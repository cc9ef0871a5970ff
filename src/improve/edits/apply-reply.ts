import type { Workspace } from '../../tools/index.js';
import { type ApplyOptions, type ApplyResult, applyEdits } from './apply-edits.js';
import type { EditBlock, ParsedEdits } from './edit-block.js';
import { EditMatchError, EditParseError } from './errors.js';
import { parseEdits } from './parse-edits.js';

export interface ReplyOptions extends ApplyOptions {
  /**
   * Asked at most once, with the feedback for the model, when the reply's
   * blocks cannot be read or placed; answers with the model's next reply.
   * Without it the first failure is thrown.
   */
  retry?: (feedback: string) => Promise<string>;
}

export interface ReplyResult extends ApplyResult {
  parsed: ParsedEdits;
  /** Whether the one retry was used. */
  retried: boolean;
}

/**
 * Parses a model reply and applies its edits, all or nothing, with one
 * bounded retry: a reply cut off mid-block, or blocks that do not match,
 * go back to the model once with what was wrong and the closest lines; the
 * corrected blocks replace the failed ones and everything is applied
 * together. A second failure is thrown (`EditParseError`, `EditMatchError`).
 */
export async function applyReply(
  root: string | Workspace,
  reply: string,
  options: ReplyOptions = {},
): Promise<ReplyResult> {
  const { retry, ...applyOptions } = options;
  let parsed: ParsedEdits;
  let retried = false;
  try {
    parsed = parseEdits(reply);
  } catch (error) {
    if (!(error instanceof EditParseError) || !retry) throw error;
    retried = true;
    const next = parseEdits(await retry(parseFeedback(error)));
    parsed = { ...next, blocks: [...error.parsed, ...next.blocks] };
  }
  try {
    return { ...(await applyEdits(root, parsed.blocks, applyOptions)), parsed, retried };
  } catch (error) {
    if (!(error instanceof EditMatchError) || !retry || retried) throw error;
    const corrections = parseEdits(await retry(error.feedback)).blocks;
    const blocks = withCorrections(parsed.blocks, error, corrections);
    return {
      ...(await applyEdits(root, blocks, applyOptions)),
      parsed: { ...parsed, blocks },
      retried: true,
    };
  }
}

function parseFeedback(error: EditParseError): string {
  const kept = error.parsed.length;
  return [
    `Your reply could not be read: ${error.message}.`,
    error.hint ?? '',
    kept > 0
      ? `The ${kept} block(s) before that point were read and will be applied: resend the broken block and any after it, complete.`
      : 'Resend all the blocks, complete.',
  ].join('\n\n');
}

/** The blocks that matched, in their order, with the corrections where the first failed block was. */
function withCorrections(
  blocks: readonly EditBlock[],
  error: EditMatchError,
  corrections: readonly EditBlock[],
): EditBlock[] {
  const failed = new Set(error.failures.map((failure) => failure.index));
  const firstFailed = Math.min(...failed);
  const result: EditBlock[] = [];
  blocks.forEach((block, index) => {
    if (index === firstFailed) result.push(...corrections);
    if (!failed.has(index)) result.push(block);
  });
  return result;
}
