// A small glob dialect, enough for a model to narrow a listing: `*` and `?`
// stay within one path segment, `**` crosses segments, and a `**/` segment
// may also match no directory at all, so `**/*.ts` finds a top-level `a.ts`.
// Everything else is literal.
export function globToRegExp(glob: string): RegExp {
  const source = glob.startsWith('./') ? glob.slice(2) : glob;
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '*' && source[i + 1] === '*') {
      const wholeSegment = (i === 0 || source[i - 1] === '/') && source[i + 2] === '/';
      out += wholeSegment ? '(?:.*/)?' : '.*';
      i += wholeSegment ? 2 : 1;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else {
      out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`);
}

/**
 * Builds the filter for a listing or search under `base` (relative to the
 * workspace root). A glob without `/` matches the file name, like
 * `.gitignore`; one with `/` matches the path relative to the root or to
 * `base`, whichever the model meant.
 */
export function pathFilter(glob: string, base: string): (rel: string) => boolean {
  const pattern = globToRegExp(glob);
  if (!glob.includes('/')) return (rel) => pattern.test(rel.slice(rel.lastIndexOf('/') + 1));
  const prefix = base === '.' ? '' : `${base}/`;
  return (rel) =>
    pattern.test(rel) || (prefix !== '' && rel.startsWith(prefix) && pattern.test(rel.slice(prefix.length)));
}
