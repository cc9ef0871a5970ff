import { z } from 'zod';
import type { ModelReviewer } from './review-branch.js';

const MAX_DIFF_CHARS = 60_000;

const verdictSchema = z.object({
  approve: z.boolean(),
  reason: z.string().min(1),
});

/**
 * A reviewer backed by a model: it receives the change's purpose and its
 * diff and answers `{"approve": true|false, "reason": "..."}`. An answer that
 * is not that JSON rejects the change (a reviewer that cannot be read has not
 * approved anything).
 */
export function modelReviewer(ask: (task: string) => Promise<string>): ModelReviewer {
  return async (subject, diff) => {
    const shown =
      diff.length > MAX_DIFF_CHARS
        ? `${diff.slice(0, MAX_DIFF_CHARS)}\n… (${diff.length - MAX_DIFF_CHARS} more characters)`
        : diff;
    const reply = await ask(
      [
        `Review this change to the repository. Candidate: ${subject.candidateId}.`,
        `Its purpose: ${subject.reason}`,
        `Commit title: ${subject.title}`,
        'It already passed the lint, typecheck and test gates. Reject it if it changes behaviour beyond its purpose, weakens tests, or makes the code harder to maintain.',
        'Answer with only a JSON object: {"approve": true or false, "reason": "one sentence"}.',
        '',
        '```diff',
        shown,
        '```',
      ].join('\n'),
    );
    const parsed = verdictSchema.safeParse(extractJson(reply));
    if (!parsed.success)
      return { approved: false, reason: `the reviewer's answer was not a verdict: ${reply.slice(0, 200)}` };
    return { approved: parsed.data.approve, reason: parsed.data.reason };
  };
}

/** The first JSON object in a reply, fenced or bare. */
function extractJson(reply: string): unknown {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(reply.slice(start, end + 1));
  } catch {
    return undefined;
  }
}
