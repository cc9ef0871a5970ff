import { SwarmError } from '../core/errors.js';

/** The configured workspace root is missing or is not a directory: nothing can run in it. */
export class WorkspaceRootError extends SwarmError {
  readonly root: string;

  constructor(root: string, problem: string) {
    super('workspace_root', `workspace root ${root} ${problem}`, {
      hint: 'Set `workspace:` in swarm.config.yaml (or pass a path on the command line) to an existing directory.',
    });
    this.root = root;
  }
}

/** A tool asked for a path outside the workspace: by `..`, by an absolute path, or through a symlink. */
export class WorkspaceEscapeError extends SwarmError {
  readonly path: string;

  constructor(path: string, reason: string) {
    super('workspace_escape', `refused path "${path}": ${reason}`, {
      hint: 'Tools may only touch files inside the workspace; use a path relative to its root.',
    });
    this.path = path;
  }
}

export class FileNotFoundError extends SwarmError {
  /** Relative to the workspace root. */
  readonly path: string;

  constructor(path: string) {
    super('file_not_found', `no such file or directory: ${path}`, {
      hint: 'Paths are relative to the workspace root; call list_files to see what exists.',
    });
    this.path = path;
  }
}

export class IsDirectoryError extends SwarmError {
  readonly path: string;

  constructor(path: string) {
    super('is_directory', `${path} is a directory, not a file`, {
      hint: 'Call list_files to see its contents, then read_file on one of them.',
    });
    this.path = path;
  }
}

export class BinaryFileError extends SwarmError {
  readonly path: string;

  constructor(path: string) {
    super('binary_file', `${path} is a binary file (it contains NUL bytes) and cannot be shown as text`, {
      hint: 'Only text files can be read; look for a text source of the same information.',
    });
    this.path = path;
  }
}

export class LineRangeError extends SwarmError {
  readonly path: string;

  constructor(path: string, startLine: number, totalLines: number) {
    super('line_range', `${path} has ${totalLines} lines; startLine ${startLine} is past the end`, {
      hint: `Use a startLine between 1 and ${totalLines}.`,
    });
    this.path = path;
  }
}

export class InvalidPatternError extends SwarmError {
  readonly pattern: string;

  constructor(pattern: string, reason: string) {
    super('invalid_pattern', `invalid regular expression /${pattern}/: ${reason}`, {
      hint: 'Fix the expression (JavaScript syntax), or set regex: false to search for the literal text.',
    });
    this.pattern = pattern;
  }
}
