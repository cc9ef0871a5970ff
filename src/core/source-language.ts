import { extname } from 'node:path';

/**
 * Source languages by file extension: memory chunks code by them, and the
 * ones with a tree-sitter grammar shipped as a dependency are parsed by both
 * memory's code chunker and improve's analysis.
 */
export const GRAMMAR_LANGUAGES = ['typescript', 'tsx', 'javascript', 'python', 'go'] as const;
export type GrammarLanguage = (typeof GRAMMAR_LANGUAGES)[number];

const BY_EXTENSION: Record<string, string> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.kt': 'kotlin',
  '.scala': 'scala',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.hpp': 'cpp',
  '.cs': 'csharp',
  '.rb': 'ruby',
  '.php': 'php',
  '.swift': 'swift',
  '.sh': 'shell',
  '.bash': 'shell',
  '.sql': 'sql',
  '.lua': 'lua',
  '.css': 'css',
  '.scss': 'css',
  '.html': 'html',
  '.vue': 'vue',
  '.svelte': 'svelte',
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.toml': 'toml',
  '.xml': 'xml',
};

/** The code language of a file by its extension (`typescript`, `rust`, ...); undefined for anything else. */
export function codeLanguageOf(path: string): string | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()];
}

export function hasGrammar(language: string | undefined): language is GrammarLanguage {
  return (GRAMMAR_LANGUAGES as readonly string[]).includes(language ?? '');
}

/** The grammar a file is parsed with, if it has one. */
export function grammarLanguageOf(path: string): GrammarLanguage | undefined {
  const language = codeLanguageOf(path);
  return hasGrammar(language) ? language : undefined;
}
