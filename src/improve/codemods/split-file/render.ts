import { posix } from 'node:path';
import { type ImportDeclaration, Node, type Statement } from 'ts-morph';
import type { CodeStyle } from '../code-style.js';
import type { Declaration, FileModel } from './file-model.js';

/** One generated module: where it goes and which declarations it holds. */
export interface ModulePlan {
  /** Relative to the repository, `/`-separated. */
  path: string;
  declarations: Declaration[];
}

export interface SplitLayout {
  /** The original file, relative to the repository. */
  original: string;
  modules: ModulePlan[];
  style: CodeStyle;
}

/** The text of each generated module, by path. */
export function renderModules(model: FileModel, layout: SplitLayout): Map<string, string> {
  const moduleOf = new Map<number, ModulePlan>();
  for (const module of layout.modules) for (const d of module.declarations) moduleOf.set(d.id, module);
  const exportedElsewhere = new Set<number>();
  for (const module of layout.modules) {
    for (const d of module.declarations) {
      for (const used of d.uses.keys()) if (moduleOf.get(used) !== module) exportedElsewhere.add(used);
    }
  }
  for (const used of model.residualUses.keys()) exportedElsewhere.add(used);
  const localExported = new Set(model.localExports.map((e) => e.local));
  const texts = new Map<string, string>();
  for (const module of layout.modules) {
    const lines: string[] = [];
    const importUses = mergeUses(module.declarations.map((d) => d.importUses));
    model.imports.forEach((decl, i) => {
      const used = importUses.get(i);
      if (used) lines.push(...renderImport(decl, used, layout, module.path));
    });
    const siblings = new Map<ModulePlan, Map<number, Set<string>>>();
    for (const d of module.declarations) {
      for (const [used, names] of d.uses) {
        const home = moduleOf.get(used)!;
        if (home === module) continue;
        const wanted = siblings.get(home) ?? new Map<number, Set<string>>();
        wanted.set(used, new Set([...(wanted.get(used) ?? []), ...names]));
        siblings.set(home, wanted);
      }
    }
    for (const [home, wanted] of [...siblings].sort((a, b) => a[0].path.localeCompare(b[0].path))) {
      lines.push(...importNames(model, wanted, specifier(layout, module.path, home.path), layout.style));
    }
    const body = module.declarations.map((d) => {
      const needsExport =
        !d.exported &&
        !d.isDefault &&
        (exportedElsewhere.has(d.id) || d.names.some((name) => localExported.has(name)));
      return d.statements.map((s) => statementText(s, needsExport)).join('\n');
    });
    texts.set(module.path, `${lines.join('\n')}${lines.length ? '\n\n' : ''}${body.join('\n\n')}\n`);
  }
  return texts;
}

/** The original file's new text: it re-exports its public names from the modules and keeps what cannot move. */
export function renderFacade(model: FileModel, layout: SplitLayout): string {
  const { style } = layout;
  const out: string[] = [];
  const first = model.source.getStatements()[0];
  const header = first
    ? first
        .getFullText()
        .slice(0, first.getStart(true) - first.getPos())
        .trim()
    : '';
  if (header) out.push(header, '');
  model.imports.forEach((decl, i) => {
    if (!decl.getImportClause()) out.push(decl.getText());
    const used = model.residualImportUses.get(i);
    if (used) out.push(...renderImport(decl, used, layout, layout.original));
  });
  for (const statement of model.residual)
    if (Node.isExportDeclaration(statement)) out.push(statement.getText());
  for (const module of layout.modules) {
    const values: string[] = [];
    const types: string[] = [];
    for (const d of module.declarations) {
      const add = (text: string, typeOnly: boolean) => (typeOnly ? types : values).push(text);
      if (d.isDefault) add('default', false);
      else if (d.exported) for (const name of d.names) add(name, d.typeOnly);
      for (const e of model.localExports) {
        if (d.names.includes(e.local))
          add(e.local === e.exported ? e.local : `${e.local} as ${e.exported}`, e.typeOnly || d.typeOnly);
      }
    }
    const from = specifier(layout, layout.original, module.path);
    if (values.length) out.push(...namedStatement('export', values, from, style));
    if (types.length) out.push(...namedStatement('export type', types, from, style));
  }
  const moved = new Map<ModulePlan, Map<number, Set<string>>>();
  for (const [used, names] of model.residualUses) {
    const home = layout.modules.find((m) => m.declarations.some((d) => d.id === used))!;
    const wanted = moved.get(home) ?? new Map<number, Set<string>>();
    wanted.set(used, names);
    moved.set(home, wanted);
  }
  for (const [home, wanted] of moved) {
    out.push(...importNames(model, wanted, specifier(layout, layout.original, home.path), style));
  }
  const rest = model.residual.filter((s) => !Node.isExportDeclaration(s));
  if (rest.length) out.push('', ...rest.map((s) => s.getFullText().replace(/^\s*\n/, '')));
  return `${out.join('\n')}\n`;
}

function mergeUses(maps: Map<number, Set<string>>[]): Map<number, Set<string>> {
  const merged = new Map<number, Set<string>>();
  for (const map of maps) for (const [k, v] of map) merged.set(k, new Set([...(merged.get(k) ?? []), ...v]));
  return merged;
}

/** `import d, { a, type B as C } from '…'` keeping only the bindings `used` names, with the specifier re-pointed. */
function renderImport(
  decl: ImportDeclaration,
  used: Set<string>,
  layout: SplitLayout,
  from: string,
): string[] {
  const { style } = layout;
  const source = relocate(decl.getModuleSpecifierValue(), layout.original, from);
  const attributes = decl.getAttributes()?.getText();
  const tail = `${quoted(source, style)}${attributes ? ` ${attributes}` : ''}${style.semicolon ? ';' : ''}`;
  const keyword = decl.isTypeOnly() ? 'import type' : 'import';
  const defaultName = decl.getDefaultImport()?.getText();
  const namespace = decl.getNamespaceImport()?.getText();
  const head = [
    ...(defaultName && used.has(defaultName) ? [defaultName] : []),
    ...(namespace && used.has(namespace) ? [`* as ${namespace}`] : []),
  ];
  const named = decl
    .getNamedImports()
    .filter((spec) => used.has(spec.getAliasNode()?.getText() ?? spec.getName()))
    .map((spec) => spec.getText());
  if (named.length === 0) return head.length ? [`${keyword} ${head.join(', ')} from ${tail}`] : [];
  return wrapNamed(`${keyword} ${head.map((h) => `${h}, `).join('')}`, named, `from ${tail}`, style);
}

function importNames(
  model: FileModel,
  wanted: Map<number, Set<string>>,
  from: string,
  style: CodeStyle,
): string[] {
  let defaultName: string | undefined;
  const values: string[] = [];
  const types: string[] = [];
  for (const [id, names] of wanted) {
    const d = model.declarations[id]!;
    for (const name of [...names].sort()) {
      if (d.isDefault) defaultName = name;
      else (d.typeOnly ? types : values).push(name);
    }
  }
  const lines: string[] = [];
  if (values.length || defaultName) {
    const head = defaultName ? `import ${defaultName}${values.length ? ', ' : ' '}` : 'import ';
    lines.push(
      ...(values.length
        ? namedStatement(head.trimEnd(), values, from, style)
        : [`${head}from ${quoted(from, style)}${style.semicolon ? ';' : ''}`]),
    );
  }
  if (types.length) lines.push(...namedStatement('import type', types, from, style));
  return lines;
}

function namedStatement(keyword: string, names: string[], from: string, style: CodeStyle): string[] {
  return wrapNamed(`${keyword} `, names, `from ${quoted(from, style)}${style.semicolon ? ';' : ''}`, style);
}

/** `head{ a, b } tail` on one line when it fits, else one name per line with a trailing comma. */
function wrapNamed(head: string, names: string[], tail: string, style: CodeStyle): string[] {
  const line = `${head}{ ${names.join(', ')} } ${tail}`;
  if (line.length <= style.lineWidth) return [line];
  return [`${head}{`, ...names.map((n) => `  ${n},`), `} ${tail}`];
}

function quoted(text: string, style: CodeStyle): string {
  return `${style.quote}${text}${style.quote}`;
}

/** A specifier relative to the original file, re-pointed for a file at `from`. */
function relocate(spec: string, original: string, from: string): string {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return spec;
  const target = posix.join(posix.dirname(original), spec);
  const relative = posix.relative(posix.dirname(from), target);
  // An extensionless import of the original itself names the new folder's path: point it at the file.
  return relative === '' ? `../${posix.basename(target)}` : dotted(relative);
}

/** The specifier a file at `from` uses to import the generated module at `to`. */
function specifier(layout: SplitLayout, from: string, to: string): string {
  const ext = posix.extname(to);
  const bare = to.slice(0, -ext.length);
  const written =
    layout.style.extension === 'none'
      ? bare
      : layout.style.extension === 'source'
        ? to
        : bare + (JS_EXTENSION[ext] ?? ext);
  return dotted(posix.relative(posix.dirname(from), written));
}

/** What Node ESM (and TypeScript's `.js` mapping) calls each source extension. */
const JS_EXTENSION: Record<string, string> = {
  '.ts': '.js',
  '.tsx': '.js',
  '.jsx': '.js',
  '.mts': '.mjs',
  '.cts': '.cjs',
};

function dotted(path: string): string {
  return path.startsWith('.') ? path : `./${path}`;
}

/** A statement's text with its comments, `export` added in front of the declaration when asked. */
function statementText(statement: Statement, addExport: boolean): string {
  const full = statement.getFullText();
  const at = statement.getStart() - statement.getPos();
  const text = addExport ? `${full.slice(0, at)}export ${full.slice(at)}` : full;
  return text.replace(/^\s*\n/, '');
}
