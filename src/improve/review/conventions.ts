import { dirname, extname, posix } from 'node:path';

export type NameStyle = 'kebab' | 'snake' | 'camel' | 'pascal' | 'plain';

/** The naming style of a file name's stem (`run-state.ts` is kebab, `runState.ts` camel). */
export function nameStyle(file: string): NameStyle {
  const stem = posix.basename(file).replace(/\..*$/, '');
  if (stem.includes('-')) return 'kebab';
  if (stem.includes('_')) return 'snake';
  if (/^[A-Z]/.test(stem) && /[a-z]/.test(stem)) return 'pascal';
  if (/[a-z][A-Z]/.test(stem)) return 'camel';
  return 'plain';
}

/**
 * What a repository's existing files say about where and how new files are
 * made: the extensions in use, the directories, and the naming style of each
 * directory's files.
 */
export class RepoConventions {
  private readonly extensions = new Set<string>();
  private readonly dirs = new Set<string>(['.']);
  private readonly styles = new Map<string, Map<NameStyle, number>>();

  constructor(paths: readonly string[]) {
    for (const path of paths) {
      this.extensions.add(extname(path));
      let dir = dirname(path);
      const styles = this.styles.get(dir) ?? new Map<NameStyle, number>();
      const style = nameStyle(path);
      styles.set(style, (styles.get(style) ?? 0) + 1);
      this.styles.set(dir, styles);
      while (dir !== '.' && !this.dirs.has(dir)) {
        this.dirs.add(dir);
        dir = dirname(dir);
      }
    }
  }

  /** Why a new file breaks the conventions, or undefined when it fits. */
  violation(path: string): string | undefined {
    const ext = extname(path);
    if (!this.extensions.has(ext))
      return `${path}: no file in the repository has the extension "${ext || '(none)'}"`;
    const dir = dirname(path);
    // A split may put modules in a new folder beside the file it splits: one new level is the convention's limit.
    if (!this.dirs.has(dir) && !this.dirs.has(dirname(dir))) {
      return `${path}: neither ${dir} nor its parent exists in the repository`;
    }
    const style = nameStyle(path);
    const dominant = this.dominantStyle(this.dirs.has(dir) ? dir : dirname(dir));
    if (style !== 'plain' && dominant && dominant !== style) {
      return `${path}: named in ${style} style where the files beside it are ${dominant}`;
    }
    return undefined;
  }

  /** The style most files of a directory share, when at least two thirds of the named ones agree. */
  private dominantStyle(dir: string): NameStyle | undefined {
    const counts = [...(this.styles.get(dir) ?? new Map<NameStyle, number>())].filter(([s]) => s !== 'plain');
    const total = counts.reduce((sum, [, n]) => sum + n, 0);
    const [top] = counts.sort((a, b) => b[1] - a[1]);
    return top && total >= 2 && top[1] / total >= 2 / 3 ? top[0] : undefined;
  }
}
