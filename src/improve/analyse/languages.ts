import { extname } from 'node:path';

/** The languages analysed with a tree-sitter grammar. */
export const SOURCE_LANGUAGES = ['typescript', 'tsx', 'javascript', 'python', 'go'] as const;
export type SourceLanguage = (typeof SOURCE_LANGUAGES)[number];

const BY_EXTENSION: Record<string, SourceLanguage> = {
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
};

export function languageOf(path: string): SourceLanguage | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()];
}

/** TypeScript, TSX and JavaScript share module syntax, resolution and most node types. */
export function isJsFamily(language: SourceLanguage): boolean {
  return language === 'typescript' || language === 'tsx' || language === 'javascript';
}
