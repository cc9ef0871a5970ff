/**
 * One change to one file, as a model wrote it: replace the lines in `search`
 * with the lines in `replace`. An empty `search` creates the file.
 */
export interface EditBlock {
  /** Relative to the repository root, as written in the reply. */
  path: string;
  /** Lines to find, each ending in `\n`; empty for a new file. */
  search: string;
  /** Lines to put in their place, each ending in `\n`. */
  replace: string;
  /** 1-based line of the reply (or diff) where the block starts, to point the model at it. */
  line: number;
}

export type EditFormat = 'search-replace' | 'unified-diff';

/** What a model reply contained: its edits, and any shell commands it suggested (never run here). */
export interface ParsedEdits {
  format: EditFormat | 'none';
  blocks: EditBlock[];
  commands: string[];
}
