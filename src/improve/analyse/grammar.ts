import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { SourceLanguage } from './languages.js';

/** Each grammar package ships its own `.wasm`; those are the builds web-tree-sitter 0.27 loads. */
const WASM: Record<SourceLanguage, [pkg: string, file: string]> = {
  typescript: ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
  tsx: ['tree-sitter-typescript', 'tree-sitter-tsx.wasm'],
  javascript: ['tree-sitter-javascript', 'tree-sitter-javascript.wasm'],
  python: ['tree-sitter-python', 'tree-sitter-python.wasm'],
  go: ['tree-sitter-go', 'tree-sitter-go.wasm'],
};

let runtime: Promise<void> | undefined;
const parsers = new Map<SourceLanguage, Promise<Parser>>();

/** A parser for the language, its grammar loaded once per process. */
export function parserFor(language: SourceLanguage): Promise<Parser> {
  let parser = parsers.get(language);
  if (!parser) {
    parser = load(language);
    parsers.set(language, parser);
    // A failed load is retried next time rather than remembered.
    parser.catch(() => parsers.delete(language));
  }
  return parser;
}

async function load(language: SourceLanguage): Promise<Parser> {
  runtime ??= Parser.init();
  await runtime;
  const [pkg, file] = WASM[language];
  const require = createRequire(import.meta.url);
  const parser = new Parser();
  parser.setLanguage(await Language.load(join(dirname(require.resolve(`${pkg}/package.json`)), file)));
  return parser;
}
