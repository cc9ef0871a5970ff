import { extname } from 'node:path';
import type { DocKind } from './chunk.js';

/** Languages with a tree-sitter grammar shipped as a dependency. */
export const GRAMMAR_LANGUAGES = ['typescript', 'tsx', 'javascript', 'python', 'go'] as const;
export type GrammarLanguage = (typeof GRAMMAR_LANGUAGES)[number];

export interface DocType {
  kind: DocKind;
  /** Language name for code (`typescript`, `rust`, ...); undefined for prose. */
  language?: string;
}

const CODE: Record<string, string> = {
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

const MARKDOWN = new Set(['.md', '.markdown', '.mdx']);

export function docTypeOf(path: string): DocType {
  const ext = extname(path).toLowerCase();
  if (MARKDOWN.has(ext)) return { kind: 'markdown' };
  const language = CODE[ext];
  return language ? { kind: 'code', language } : { kind: 'text' };
}

export function hasGrammar(language: string | undefined): language is GrammarLanguage {
  return (GRAMMAR_LANGUAGES as readonly string[]).includes(language ?? '');
}
