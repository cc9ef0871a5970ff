export { BUILTIN_TOOL_NAMES, builtinTool, builtinTools } from './builtins.js';
export {
  BinaryFileError,
  FileNotFoundError,
  InvalidPatternError,
  IsDirectoryError,
  LineRangeError,
  WorkspaceEscapeError,
  WorkspaceRootError,
} from './errors.js';
export { globToRegExp } from './glob.js';
export { listFilesTool } from './list-files.js';
export { READ_FILE_MAX_BYTES, readFileTool } from './read-file.js';
export { SEARCH_MAX_FILE_BYTES, searchTextTool } from './search-text.js';
export { defineTool, TOOL_NAME, type Tool, type ToolCallContext } from './tool.js';
export { SKIPPED_DIRS } from './walk.js';
export { Workspace, type WorkspaceEntry } from './workspace.js';
