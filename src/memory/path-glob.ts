/**
 * Path globs, one dialect for memory's search filters and the file tools:
 * `*` and `?` stay within one path segment, `**` crosses segments, and a
 * `**\/` segment may also match no directory at all, so `**\/*.ts` finds a
 * top-level `a.ts`. Everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  const source = glob.startsWith('./') ? glob.slice(2) : glob;
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '*' && source[i + 1] === '*') {
      const wholeSegment = (i === 0 || source[i - 1] === '/') && source[i + 2] === '/';
      out += wholeSegment ? '(?:.*/)?' : '.*';
      i += wholeSegment ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** A glob without `/` matches the file name alone, so `*.ts` finds TypeScript files anywhere. */
export function pathMatcher(glob: string): (path: string) => boolean {
  const pattern = globToRegExp(glob);
  if (glob.includes('/')) return (path) => pattern.test(path);
  return (path) => pattern.test(path.slice(path.lastIndexOf('/') + 1));
}
