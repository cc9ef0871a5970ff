export {
  type AppliedBlock,
  type ApplyOptions,
  type ApplyResult,
  applyEdits,
  type FileChange,
} from './apply-edits.js';
export { applyReply, type ReplyOptions, type ReplyResult } from './apply-reply.js';
export type { EditBlock, EditFormat, ParsedEdits } from './edit-block.js';
export {
  EditMatchError,
  EditParseError,
  type EditParseProblem,
  type MatchFailure,
  type MatchProblem,
} from './errors.js';
export { DEFAULT_MIN_SIMILARITY, type MatchRung, MIN_SIMILAR_LINES } from './match-ladder.js';
export { parseEdits } from './parse-edits.js';
export { parseSearchReplace } from './search-replace-parser.js';
export { similarityRatio } from './similarity.js';
export { parseUnifiedDiff } from './unified-diff-parser.js';
