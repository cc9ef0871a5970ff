import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A piece of the target project's self-description, stored in memory under a virtual path. */
export interface ProfileDocument {
  path: string;
  text: string;
  /** Set for a module's description: the folder it describes, relative to the project. */
  module?: string;
  /** For a module: one line saying what it is, for notes and prompts. */
  summary?: string;
}

const PROJECT_DOCS = ['README.md', 'readme.md', 'roadmap.md', 'ROADMAP.md', 'docs/roadmap.md'];
const NOT_MODULES = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  'target',
  'vendor',
  'data',
  'test',
  'tests',
  'bench',
  'examples',
  'docs',
  'coverage',
  'schemas',
  'scripts',
]);
const SOURCE_FILE = /\.(ts|tsx|js|mjs|py|go|rs|java|kt|rb|c|cc|cpp|h|hpp|cs|swift)$/;
const MAX_FILES_PER_MODULE = 80;
const MAX_MODULE_CHARS = 12_000;

/**
 * What the project says about itself: its README and roadmap, and for each
 * module (a folder under `src/`, or a top-level source folder) a
 * description made of the folder's README, its files' names (kebab-case
 * names say what a file does) and each file's leading doc comment.
 */
export async function projectProfile(projectDir: string): Promise<ProfileDocument[]> {
  const docs: ProfileDocument[] = [];
  for (const name of PROJECT_DOCS) {
    const text = await head(join(projectDir, name), 64_000);
    if (text?.trim()) docs.push({ path: `project/${name}`, text });
  }
  for (const module of await moduleDirs(projectDir)) {
    const { text, summary } = await describeModule(projectDir, module);
    docs.push({ path: `modules/${module}`, text, module, summary });
  }
  return docs;
}

async function moduleDirs(projectDir: string): Promise<string[]> {
  const src = join(projectDir, 'src');
  const base = (await isDir(src)) ? 'src' : '';
  const entries = await readdir(base ? src : projectDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && (base !== '' || !NOT_MODULES.has(e.name)))
    .map((e) => (base ? `${base}/${e.name}` : e.name))
    .sort();
}

async function describeModule(
  projectDir: string,
  module: string,
): Promise<{ text: string; summary: string }> {
  const parts = [`Module ${module}`];
  const readme = await head(join(projectDir, module, 'README.md'), 4000);
  if (readme) parts.push(readme);
  const files = await sourceFiles(join(projectDir, module), '', MAX_FILES_PER_MODULE);
  parts.push(`Files: ${files.map((f) => `${f} (${words(f)})`).join(', ')}`);
  let length = parts.join('\n').length;
  let firstComment: string | undefined;
  for (const file of files) {
    if (length > MAX_MODULE_CHARS) break;
    const comment = leadingComment((await head(join(projectDir, module, file), 6000)) ?? '');
    if (!comment) continue;
    firstComment ??= comment;
    const line = `${file}: ${comment}`;
    parts.push(line);
    length += line.length;
  }
  const prose = readme?.split('\n').find((l) => /^[A-Za-z`*]/.test(l.trim()) && !l.startsWith('```'));
  const summary = prose ?? firstComment ?? `files: ${files.slice(0, 6).join(', ') || 'none'}`;
  return { text: parts.join('\n').slice(0, MAX_MODULE_CHARS), summary: oneLine(summary, 160) };
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

async function sourceFiles(dir: string, prefix: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (out.length >= limit || e.name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory() && !NOT_MODULES.has(e.name)) {
      out.push(...(await sourceFiles(join(dir, e.name), rel, limit - out.length)));
    } else if (e.isFile() && SOURCE_FILE.test(e.name) && !/\.(test|spec)\.|_test\./.test(e.name)) {
      out.push(rel);
    }
  }
  return out;
}

/** `retry-after.ts` → `retry after`. */
function words(path: string): string {
  return path
    .replace(/\.[a-z]+$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_/.]+/g, ' ')
    .toLowerCase();
}

/** The first doc comment (JSDoc, Python docstring) or the leading line comments, as plain text. */
export function leadingComment(text: string): string | undefined {
  const doc = /\/\*\*([\s\S]*?)\*\/|"""([\s\S]*?)"""/.exec(text);
  const lines = /^(?:\s*(?:\/\/|#)(?!!).*\n)+/.exec(text);
  const raw = doc ? (doc[1] ?? doc[2] ?? '') : (lines?.[0] ?? '');
  const clean = raw
    .replace(/^\s*(\*|\/\/|#)\s?/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean ? clean.slice(0, 400) : undefined;
}

async function head(path: string, bytes: number): Promise<string | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
