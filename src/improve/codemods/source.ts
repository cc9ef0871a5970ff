import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Project, type SourceFile, ts } from 'ts-morph';
import { SkillNotApplicableError } from './errors.js';

/** The script kinds ts-morph parses; anything else is not a codemod's to touch. */
const CODEMOD_EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/;

export function isCodemodPath(path: string): boolean {
  return CODEMOD_EXTENSIONS.test(path) && !path.endsWith('.d.ts');
}

/**
 * One TypeScript or JavaScript file parsed on its own, with a type checker
 * that resolves the file's own names (imports stay unresolved: a codemod
 * needs to know which declaration an identifier means, not its type), and
 * refused with the first syntax error's line when the file does not parse.
 */
export async function loadSource(dir: string, path: string, skill: string): Promise<SourceFile> {
  if (!isCodemodPath(path)) {
    throw new SkillNotApplicableError(skill, path, 'not a TypeScript or JavaScript source file');
  }
  let text: string;
  try {
    text = await readFile(join(dir, path), 'utf8');
  } catch (error) {
    throw new SkillNotApplicableError(skill, path, `cannot read the file (${(error as Error).message})`);
  }
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { allowJs: true, noLib: true, noResolve: true, jsx: ts.JsxEmit.Preserve },
  });
  const source = project.createSourceFile(`/${path}`, text);
  const [problem] = project.getProgram().getSyntacticDiagnostics(source);
  if (problem) {
    const message = ts.flattenDiagnosticMessageText(
      problem.getMessageText() as string | ts.DiagnosticMessageChain,
      ' ',
    );
    throw new SkillNotApplicableError(
      skill,
      path,
      `syntax error at line ${problem.getLineNumber() ?? '?'}: ${message}`,
      'Fix the syntax error first; the file is skipped.',
    );
  }
  return source;
}

/** `parseExpression` → `parse-expression`, `HTTPServer` → `http-server`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[_$\s]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}
