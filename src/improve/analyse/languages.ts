import type { GrammarLanguage } from '../../core/source-language.js';

/** The languages analysed: those with a tree-sitter grammar. */
export {
  GRAMMAR_LANGUAGES as SOURCE_LANGUAGES,
  grammarLanguageOf as languageOf,
} from '../../core/source-language.js';
export type SourceLanguage = GrammarLanguage;

/** TypeScript, TSX and JavaScript share module syntax, resolution and most node types. */
export function isJsFamily(language: SourceLanguage): boolean {
  return language === 'typescript' || language === 'tsx' || language === 'javascript';
}
