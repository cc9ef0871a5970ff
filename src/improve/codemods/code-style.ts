import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SourceFile, SyntaxKind } from 'ts-morph';
import type { RepoAnalysis } from '../analyse/index.js';

/** How the repository writes code the split generates: quotes, semicolons, import specifier extensions. */
export interface CodeStyle {
  quote: "'" | '"';
  semicolon: boolean;
  /** `js`: `./x.js` for `x.ts` (Node ESM); `source`: the file's own extension; `none`: `./x`. */
  extension: 'js' | 'source' | 'none';
  lineWidth: number;
}

const DEFAULT_LINE_WIDTH = 80;
const TELLING = new Set([
  SyntaxKind.ImportDeclaration,
  SyntaxKind.VariableStatement,
  SyntaxKind.TypeAliasDeclaration,
  SyntaxKind.ExportDeclaration,
]);

/**
 * How generated code should look to fit the repository: the file's own
 * quotes and semicolons, the import specifier style most of the repository's
 * relative imports use (the file's own first), and the formatter's line
 * width (Biome's `lineWidth`, Prettier's `printWidth`).
 */
export async function codeStyle(
  dir: string,
  source: SourceFile,
  path: string,
  analysis: RepoAnalysis,
): Promise<CodeStyle> {
  const literal = source.getFirstDescendantByKind(SyntaxKind.StringLiteral)?.getText();
  // Only statements that end in a semicolon when the style has them tell; a function body's `}` does not.
  const telling = source.getStatements().find((s) => TELLING.has(s.getKind()));
  return {
    quote: literal?.startsWith('"') ? '"' : "'",
    semicolon: telling ? telling.getText().trimEnd().endsWith(';') : true,
    extension: specifierStyle(analysis, path),
    lineWidth: await formatterLineWidth(dir),
  };
}

function specifierStyle(analysis: RepoAnalysis, path: string): CodeStyle['extension'] {
  const count = { js: 0, source: 0, none: 0 };
  const tally = (specifiers: string[]) => {
    for (const spec of specifiers) {
      if (!spec.startsWith('./') && !spec.startsWith('../')) continue;
      if (/\.[cm]?jsx?$/.test(spec)) count.js++;
      else if (/\.[cm]?tsx?$/.test(spec)) count.source++;
      else if (!/\.\w+$/.test(spec)) count.none++;
    }
  };
  const own = analysis.files.find((f) => f.path === path);
  tally(own?.imports.map((i) => i.specifier) ?? []);
  if (count.js + count.source + count.none === 0) {
    for (const file of analysis.files) tally(file.imports.map((i) => i.specifier));
  }
  if (count.none > count.js && count.none > count.source) return 'none';
  return count.source > count.js ? 'source' : 'js';
}

async function formatterLineWidth(dir: string): Promise<number> {
  for (const [file, pattern] of [
    ['biome.json', /"lineWidth"\s*:\s*(\d+)/],
    ['biome.jsonc', /"lineWidth"\s*:\s*(\d+)/],
    ['.prettierrc', /"?printWidth"?\s*:\s*(\d+)/],
    ['.prettierrc.json', /"printWidth"\s*:\s*(\d+)/],
  ] as const) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => '');
    const match = pattern.exec(text);
    if (match) return Number(match[1]);
  }
  return DEFAULT_LINE_WIDTH;
}
