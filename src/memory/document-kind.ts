import { extname } from 'node:path';
import { codeLanguageOf } from '../core/source-language.js';
import type { DocKind } from './chunk.js';

export { type GrammarLanguage, hasGrammar } from '../core/source-language.js';

export interface DocType {
  kind: DocKind;
  /** Language name for code (`typescript`, `rust`, ...); undefined for prose. */
  language?: string;
}

const MARKDOWN = new Set(['.md', '.markdown', '.mdx']);

export function docTypeOf(path: string): DocType {
  const ext = extname(path).toLowerCase();
  if (MARKDOWN.has(ext)) return { kind: 'markdown' };
  const language = codeLanguageOf(path);
  return language ? { kind: 'code', language } : { kind: 'text' };
}
