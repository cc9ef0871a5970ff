import { applyReply, EditMatchError, EditParseError, type ReplyResult } from '../edits/index.js';
import type { Candidate } from '../plan/index.js';
import { editTask } from './edit-task.js';
import { EditRejectedError, ModelRequiredError } from './errors.js';
import type { Skill, SkillInput, SkillOutcome } from './skill.js';

/**
 * The model-driven edit, for any candidate: the model gets the candidate,
 * the code and the repo map (`editTask`), answers with SEARCH/REPLACE blocks
 * or a unified diff, and the edits are applied all or nothing with the
 * matching ladder. A reply that is cut off or whose blocks do not match goes
 * back once with what was wrong and the closest lines; if the retry fails
 * too, nothing is written and `EditRejectedError` says why.
 */
export const llmEditSkill: Skill = {
  name: 'llm-edit',
  needsModel: true,
  handles: (_candidate: Candidate) => true,
  async apply({ dir, candidate, analysis, model, signal }: SkillInput): Promise<SkillOutcome> {
    if (!model) throw new ModelRequiredError(candidate.id);
    signal?.throwIfAborted();
    const task = await editTask(dir, candidate, analysis);
    let reply = await model(task);
    let result: ReplyResult;
    try {
      result = await applyReply(dir, reply, {
        knownPaths: analysis.files.map((f) => f.path),
        retry: async (feedback) => {
          signal?.throwIfAborted();
          reply = await model(retryTask(task, reply, feedback));
          return reply;
        },
      });
    } catch (error) {
      if (error instanceof EditMatchError) {
        throw new EditRejectedError(candidate.id, error.message, {
          failures: error.failures,
          feedback: error.feedback,
          reply,
          cause: error,
        });
      }
      if (error instanceof EditParseError) {
        throw new EditRejectedError(candidate.id, error.message, { reply, cause: error });
      }
      throw error;
    }
    const changedFiles = result.changes.filter((c) => c.before !== c.after).map((c) => c.path);
    if (changedFiles.length === 0) {
      throw new EditRejectedError(candidate.id, 'the reply changed no file', { reply });
    }
    return { changedFiles, title: title(candidate), body: body(candidate, reply) };
  },
};

function retryTask(task: string, reply: string, feedback: string): string {
  return [task, '', '# Your previous reply', reply, '', '# What went wrong', feedback].join('\n');
}

function title(candidate: Candidate): string {
  const where = candidate.target.symbol
    ? `${candidate.target.symbol} in ${candidate.target.path}`
    : candidate.target.path;
  switch (candidate.skill) {
    case 'extract-duplicate':
      return `Extract code duplicated in ${[...new Set([candidate.target.path, ...candidate.related.map((r) => r.path)])].join(', ')}`;
    case 'simplify':
      return `Simplify ${where}`;
    case 'split-file':
      return `Split ${candidate.target.path} into modules behind a facade`;
    case 'lazy-load':
      return `Load ${candidate.target.symbol ?? 'an import'} lazily in ${candidate.target.path}`;
  }
}

/** The candidate's reason, then the model's own explanation (its prose before the first block). */
function body(candidate: Candidate, reply: string): string {
  const prose = reply
    .split(/^```|^<<<<<<< SEARCH|^--- /m)[0]!
    .trim()
    .split('\n');
  const explanation = prose.filter((line, i) => !(i === prose.length - 1 && /^\S+\.\w+$/.test(line.trim())));
  return [
    `Why: ${candidate.reason}.`,
    ...(explanation.join('\n').trim() ? ['', explanation.join('\n').trim()] : []),
    '',
    `Edited by a language model (candidate ${candidate.id}).`,
  ].join('\n');
}
