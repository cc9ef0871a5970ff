import { listFilesTool } from './list-files.js';
import { readFileTool } from './read-file.js';
import { searchTextTool } from './search-text.js';
import type { Tool } from './tool.js';

const BUILTINS: readonly Tool[] = [readFileTool, listFilesTool, searchTextTool];

/** The tools every agent may be given by name in its manifest. */
export function builtinTools(): Tool[] {
  return [...BUILTINS];
}

export const BUILTIN_TOOL_NAMES: readonly string[] = BUILTINS.map((t) => t.name);

/** The built-in tool called `name`, or undefined so the caller can report the unknown name in its own terms. */
export function builtinTool(name: string): Tool | undefined {
  return BUILTINS.find((t) => t.name === name);
}
