import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { GrammarLanguage } from './document-kind.js';

/** Each grammar package ships its own `.wasm`, which is the build web-tree-sitter 0.27 can load. */
const WASM: Record<GrammarLanguage, [pkg: string, file: string]> = {
  typescript: ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
  tsx: ['tree-sitter-typescript', 'tree-sitter-tsx.wasm'],
  javascript: ['tree-sitter-javascript', 'tree-sitter-javascript.wasm'],
  python: ['tree-sitter-python', 'tree-sitter-python.wasm'],
  go: ['tree-sitter-go', 'tree-sitter-go.wasm'],
};

let runtime: Promise<void> | undefined;
const parsers = new Map<GrammarLanguage, Promise<Parser>>();

/** A parser for the language, loaded once per process (the WASM runtime and each grammar). */
export function parserFor(language: GrammarLanguage): Promise<Parser> {
  let parser = parsers.get(language);
  if (!parser) {
    parser = load(language);
    parsers.set(language, parser);
    // a failed load is retried next time rather than cached
    parser.catch(() => parsers.delete(language));
  }
  return parser;
}

async function load(language: GrammarLanguage): Promise<Parser> {
  runtime ??= Parser.init();
  await runtime;
  const [pkg, file] = WASM[language];
  const require = createRequire(import.meta.url);
  const wasm = join(dirname(require.resolve(`${pkg}/package.json`)), file);
  const parser = new Parser();
  parser.setLanguage(await Language.load(wasm));
  return parser;
}
