/**
 * Path globs for search filters: `*` and `?` stay within one path segment,
 * `**` crosses segments (and `**\/` may match no directory at all), the rest
 * is literal. A glob without `/` matches the file name alone, so `*.ts`
 * finds TypeScript files anywhere. The same dialect as the file tools'.
 */
export function pathMatcher(glob: string): (path: string) => boolean {
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
  const pattern = new RegExp(`^${out}$`);
  if (source.includes('/')) return (path) => pattern.test(path);
  return (path) => pattern.test(path.slice(path.lastIndexOf('/') + 1));
}
