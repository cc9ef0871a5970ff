import type { ParsedEdits } from './edit-block.js';
import { parseSearchReplace } from './search-replace-parser.js';
import { looksLikeUnifiedDiff, parseUnifiedDiff } from './unified-diff-parser.js';

const SEARCH_HEAD = /^\s*<{5,9} SEARCH\s*$/m;

/**
 * The edits in a model reply, in whichever format it used: SEARCH/REPLACE
 * blocks when it has a `<<<<<<< SEARCH` line, else a unified diff, else none
 * (prose only). Throws `EditParseError` for a block or diff it cannot read.
 */
export function parseEdits(reply: string): ParsedEdits {
  if (SEARCH_HEAD.test(reply)) {
    const { blocks, commands } = parseSearchReplace(reply);
    return { format: 'search-replace', blocks, commands };
  }
  if (looksLikeUnifiedDiff(reply))
    return { format: 'unified-diff', blocks: parseUnifiedDiff(reply), commands: [] };
  return { format: 'none', blocks: [], commands: parseSearchReplace(reply).commands };
}
